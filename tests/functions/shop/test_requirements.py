"""functions/requirements.txt pins exactly what uv.lock tests against."""

from __future__ import annotations

import re
import tomllib

from tests.functions.shop.api import ROOT


def test_every_lambda_requirement_is_pinned_to_the_locked_version() -> None:
    locked = {
        package["name"]: package["version"]
        for package in tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))["package"]
        if "version" in package
    }
    lines = (ROOT / "functions" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    pins = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert pins, "functions/requirements.txt lists nothing"
    for pin in pins:
        match = re.fullmatch(r"([a-z0-9-]+)(\[[a-z,]+\])?==([0-9.]+)", pin)
        assert match, f"{pin!r}: expected name[extras]==version"
        name, _, version = match.groups()
        assert locked.get(name) == version, (
            f"{name}: requirements {version}, uv.lock {locked.get(name)}"
        )
