"""`python build.py deploy --stack NAME`: the command end to end against moto."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from storefront.cli import main
from tests.deploy.conftest import REGION, create_stack_resources
from tests.deploy.site_factory import ShopBuild
from tests.deploy.test_outputs import create_stack_with_outputs


def test_deploy_command_publishes_the_build_and_prints_a_summary(
    aws_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_stack_with_outputs("shop", create_stack_resources())
    out = ShopBuild().write(tmp_path / "dist")

    status = main(["deploy", "--stack", "shop", "--out", str(out)])

    printed = capsys.readouterr().out
    assert status == 0
    assert "Deploying" in printed
    assert f"Uploaded {len(ShopBuild().files())} file(s)" in printed
    assert "Stock: 2 new SKU(s) seeded, 0 already present." in printed
    listing = boto3.client("s3", region_name=REGION).list_objects_v2(Bucket="shop-site")
    assert listing["KeyCount"] == len(ShopBuild().files())


def test_deploy_command_dry_run_says_so_and_writes_nothing(
    aws_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_stack_with_outputs("shop", create_stack_resources())
    out = ShopBuild().write(tmp_path / "dist")

    status = main(["deploy", "--stack", "shop", "--out", str(out), "--dry-run"])

    printed = capsys.readouterr().out
    assert status == 0
    assert "  + index.html (new)" in printed
    assert "Dry run: nothing was changed." in printed
    listing = boto3.client("s3", region_name=REGION).list_objects_v2(Bucket="shop-site")
    assert listing["KeyCount"] == 0


def test_deploy_command_reports_a_missing_stack_on_stderr_with_status_1(
    aws_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["deploy", "--stack", "missing", "--out", str(tmp_path)])

    assert status == 1
    assert "deploy: stack 'missing': cannot be read" in capsys.readouterr().err


def test_deploy_command_refuses_a_build_with_files_missing_and_keeps_the_live_site(
    aws_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a live shop
    create_stack_with_outputs("shop", create_stack_resources())
    out = ShopBuild().write(tmp_path / "dist")
    assert main(["deploy", "--stack", "shop", "--out", str(out)]) == 0
    capsys.readouterr()
    # When dist/public/products is removed by hand, and the dry run then the deploy run
    for page in sorted((out / "public" / "products").rglob("*"), reverse=True):
        page.unlink() if page.is_file() else page.rmdir()
    (out / "public" / "products").rmdir()

    dry_status = main(["deploy", "--stack", "shop", "--out", str(out), "--dry-run"])
    dry_err = capsys.readouterr().err
    status = main(["deploy", "--stack", "shop", "--out", str(out)])
    err = capsys.readouterr().err

    # Then both refuse, naming the missing files, and the live pages stay in the bucket
    assert (dry_status, status) == (1, 1)
    for printed in (dry_err, err):
        assert "deploy: " in printed
        assert "2 file(s) listed in the manifest are missing" in printed
        assert "products/alpine-gaiter/index.html" in printed
    listing = boto3.client("s3", region_name=REGION).list_objects_v2(Bucket="shop-site")
    keys = {item["Key"] for item in listing.get("Contents", [])}
    assert "products/trail-shoe/index.html" in keys
    assert len(keys) == len(ShopBuild().files())


@pytest.fixture
def no_aws_config(aws_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No AWS config or credentials file: only the environment counts."""
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))


def test_deploy_command_uses_aws_region_from_the_environment(
    no_aws_config: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # docs/deploy.md tells the operator to `export AWS_REGION=...`; boto3 alone reads
    # only AWS_DEFAULT_REGION.
    create_stack_with_outputs("shop", create_stack_resources())
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    out = ShopBuild().write(tmp_path / "dist")

    status = main(["deploy", "--stack", "shop", "--out", str(out), "--dry-run"])

    assert status == 0, capsys.readouterr().err
    assert "Dry run: nothing was changed." in capsys.readouterr().out


def test_deploy_command_without_a_region_says_how_to_give_one(
    no_aws_config: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.delenv("AWS_REGION")

    assert main(["deploy", "--stack", "shop", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("deploy: AWS: You must specify a region")
    assert "pass --region or set AWS_REGION" in err


def test_deploy_command_with_an_unknown_profile_exits_1_naming_it(
    no_aws_config: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["deploy", "--stack", "shop", "--out", str(tmp_path), "--profile", "nosuch"])

    assert status == 1
    err = capsys.readouterr().err
    assert err.startswith("deploy: AWS: The config profile (nosuch) could not be found")
    assert len(err.strip().splitlines()) == 1
