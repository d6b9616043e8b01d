"""What the back office and the plain views share: the request boundary and how values are shown."""
