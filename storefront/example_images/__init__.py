"""The example shop's product pictures, drawn from its product files (see content/README.md)."""
