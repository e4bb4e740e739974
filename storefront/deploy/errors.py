"""The one error type of the deploy command: what failed, where, and what was expected."""

from __future__ import annotations


class DeployError(Exception):
    """A deploy cannot go on; the message names the stack, bucket or file concerned."""
