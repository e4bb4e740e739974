"""A missing browser or tool fails the tests in CI and only skips them elsewhere."""

from __future__ import annotations

import pytest

from tests.node_tools import require_program

ABSENT = "surely-not-an-installed-program"


def test_a_missing_program_fails_in_ci_naming_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"apt-get install -y some-package"):
        require_program(ABSENT, "some-package")


def test_a_missing_program_skips_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=ABSENT):
        require_program(ABSENT, "some-package")


def test_a_present_program_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert require_program("python3", "python3").endswith("python3")
