"""A second function, like echo_function, with a resolver of its own (another "container")."""

from __future__ import annotations

from tests.devserver.echo_function import make_handler

handler = make_handler()
