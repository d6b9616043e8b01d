"""Command-line tasks beyond the demo loader."""
