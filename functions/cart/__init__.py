"""The cart function: /api/cart (sessions, lines, save for later)."""
