"""Content errors as GitHub Actions workflow commands, so CI marks the file and line.

`python build.py check --format github` prints one
`::error file=content/products/x.md,line=7,title=price::...` line per error;
GitHub shows each on the pull request's diff at that line.
"""

from __future__ import annotations

from pathlib import Path

from storefront.errors import ContentError


def escape_data(text: str) -> str:
    """Escape a workflow command's message (after `::`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command property value (file, title)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def repository_path(path: Path, root: Path) -> str:
    """The path as GitHub knows it: relative to the checkout root, posix separators."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def github_annotation(error: ContentError, root: Path | None = None) -> str:
    """One `::error ...::message` line for a content error."""
    properties = [f"file={escape_property(repository_path(error.path, root or Path.cwd()))}"]
    if error.line:
        properties.append(f"line={error.line}")
    if error.field:
        properties.append(f"title={escape_property(error.field)}")
    message = f"{error.field}: {error.message}" if error.field else error.message
    return f"::error {','.join(properties)}::{escape_data(message)}"
