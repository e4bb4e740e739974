"""What `sam build` packages: every handler exists under functions/, runtime deps only."""

from __future__ import annotations

import re

import pytest

from tests.infra.cfn_template import ROOT, load_template, resources_of_type

FUNCTIONS = resources_of_type(load_template(), "AWS::Serverless::Function")
REQUIREMENTS = ROOT / "functions" / "requirements.txt"
# Build-side packages that must never reach a Lambda package (size, cold start).
BUILD_ONLY = {"markdown-it-py", "pillow", "pagefind", "moto", "watchfiles", "nh3"}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_handler_module_exists_under_the_functions_folder(name: str) -> None:
    module, _, function = FUNCTIONS[name]["Properties"]["Handler"].rpartition(".")
    path = ROOT / "functions" / (module.replace(".", "/") + ".py")
    assert path.is_file(), f"{name}: handler {module}.{function} expects {path}"
    assert re.search(rf"^def {function}\(", path.read_text(encoding="utf-8"), re.M) or (
        f"{function} =" in path.read_text(encoding="utf-8")
    ), f"{path}: no {function}"


def test_functions_requirements_hold_runtime_dependencies_only() -> None:
    assert REQUIREMENTS.is_file(), f"{REQUIREMENTS}: runtime requirements are missing"
    names = {
        re.split(r"[\[<>=~!; ]", line.strip(), maxsplit=1)[0].lower()
        for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith(("#", "-"))
    }
    assert {"aws-lambda-powertools", "stripe"} <= names
    assert not names & BUILD_ONLY, names & BUILD_ONLY
