"""The stock function: /api/stock (live availability for product pages)."""
