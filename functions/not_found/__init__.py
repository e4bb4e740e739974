"""The not-found function: every /api path and method no route serves (the `$default` route)."""
