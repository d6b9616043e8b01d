"""Domain rules: plain Python that takes the acting user and flushes, never commits."""
