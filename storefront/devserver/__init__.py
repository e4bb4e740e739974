"""The whole shop on one laptop: static pages, real Lambda handlers, moto, live reload."""
