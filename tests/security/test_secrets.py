"""No secret-looking value in git-tracked files or in a fresh build's dist/; the scanner works."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.security.child_build import build_in_child
from tests.security.secret_patterns import find_secrets, scan_files, scan_tree

ROOT = Path(__file__).resolve().parents[2]


# What .gitignore keeps out of the repository: skipped when there is no git to ask.
_NOT_COMMITTED = {
    ".venv",
    "__pycache__",
    "dist",
    ".cache",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    "node_modules",
    "test-artifacts",
    ".aws-sam",
}


def _tracked_files() -> list[str]:
    """The files git tracks; in a copy without git (an archive, a ZIP), the project's files."""
    if not (ROOT / ".git").exists():
        return [
            path.relative_to(ROOT).as_posix()
            for path in ROOT.rglob("*")
            if path.is_file()
            and not any(
                part in _NOT_COMMITTED or part.startswith("dist.") or part.endswith(".egg-info")
                for part in path.relative_to(ROOT).parts
            )
            and not path.relative_to(ROOT)
            .as_posix()
            .startswith("functions/order_emails/templates/")
        ]
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True, text=True
    )
    return [name for name in listed.stdout.split("\0") if name]


# Built at run time so that this file holds no secret-looking literal itself.
PLANTED = {
    "stripe key": "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc",
    "stripe webhook secret": "whsec_" + "5fTq9kL2mN8pR4sV7wX1yZ3aB6cD0eF2",
    "aws access key id": "AKIA" + "Q3EGRT6ZVW7XKP2M",
    "aws secret access key": "aws_secret_access_key = "
    + "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzK8Q2mPq1L",
    "private key": "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA",
}


@pytest.mark.parametrize("kind", sorted(PLANTED))
def test_the_scanner_catches_a_planted_secret(kind: str, tmp_path: Path) -> None:
    # Given a file with one real-looking secret among ordinary text
    planted = tmp_path / "config.env"
    planted.write_text(f"# settings\nNAME=shop\n{PLANTED[kind]}\n", encoding="utf-8")
    # Then the scanner reports it, with its place and kind, redacted
    findings = scan_files(tmp_path, ["config.env"])
    assert [(f.path, f.line, f.kind) for f in findings] == [("config.env", 3, kind)]
    assert PLANTED[kind] not in str(findings[0])


def test_placeholders_and_obvious_fakes_are_not_secrets() -> None:
    text = "\n".join(
        [
            "STRIPE_SECRET_KEY=sk_test_…",  # docs placeholder
            'SECRET = "whsec_test_5ecr3t"',  # the tests' short dummy
            '"whsec_local_" + secrets.token_hex(16)',  # serve's per-run secret, made at run time
            "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",  # AWS's documented example
            "AWS_SECRET_ACCESS_KEY=testing",  # moto's dummy
            "-----BEGIN PUBLIC KEY-----",
        ]
    )
    assert find_secrets(text, "sample") == []


def test_no_git_tracked_file_holds_a_secret() -> None:
    tracked = _tracked_files()
    assert len(tracked) > 100  # the listing worked
    findings = scan_files(ROOT, tracked)
    assert findings == [], "\n".join(map(str, findings))


@pytest.mark.slow
def test_a_fresh_build_of_the_example_shop_holds_no_secret(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build_in_child(ROOT / "content", out)
    built = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.name == "catalog.json" for p in built)
    findings = scan_tree(out)
    assert findings == [], "\n".join(map(str, findings))
