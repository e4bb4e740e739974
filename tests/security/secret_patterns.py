"""What a leaked secret looks like: Stripe keys, AWS keys, private keys; and a scanner for files.

Real-looking lengths only, so a placeholder such as `sk_test_…` in the docs or
the test suite's short `whsec_test_5ecr3t` does not count. A match is allowed
only when the value is on ALLOWED (obviously fake, documented test values).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PATTERNS: dict[str, re.Pattern[str]] = {
    # Stripe secret / restricted keys: sk_live_…, sk_test_…, rk_live_…, rk_test_… (24+ chars).
    "stripe key": re.compile(r"\b[sr]k_(?:live|test)_[0-9A-Za-z]{20,}"),
    # Webhook signing secrets are whsec_ + 32 or more characters.
    "stripe webhook secret": re.compile(r"\bwhsec_[0-9A-Za-z]{24,}"),
    "aws access key id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "aws secret access key": re.compile(
        r"aws_secret_access_key[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])",
        re.IGNORECASE,
    ),
    "private key": re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----"),
}

# Values documented as fakes: AWS's own example key pair (docs and botocore tests use it).
ALLOWED = frozenset({"AKIAIOSFODNN7EXAMPLE"})


@dataclass(frozen=True, slots=True)
class Finding:
    """One secret-looking value: where, what kind, and a redacted preview."""

    path: str
    line: int
    kind: str
    preview: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}: {self.preview}"


def _redact(value: str) -> str:
    return value[:12] + "…" if len(value) > 12 else value


def find_secrets(text: str, path: str) -> list[Finding]:
    """Every secret-looking value in `text` that is not on ALLOWED."""
    findings = []
    for kind, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            if match.group(0) in ALLOWED:
                continue
            line = text.count("\n", 0, match.start()) + 1
            findings.append(Finding(path, line, kind, _redact(match.group(0))))
    return findings


def scan_files(root: Path, relative_paths: Iterable[str]) -> list[Finding]:
    """Scan files under `root` (binary ones too: a key can hide in any file)."""
    findings: list[Finding] = []
    for relative in relative_paths:
        path = root / relative
        if not path.is_file():
            continue  # deleted in the working tree but still tracked
        text = path.read_bytes().decode("utf-8", errors="replace")
        findings.extend(find_secrets(text, relative))
    return findings


def scan_tree(root: Path) -> list[Finding]:
    """Scan every file under `root` (a build's output folder)."""
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    return scan_files(root, files)
