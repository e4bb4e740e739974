"""The command line: whole option names only, and each command's own usage for its mistakes."""

from __future__ import annotations

import pytest

from storefront.cli import main


@pytest.mark.parametrize(
    ("argv", "usage", "left_over"),
    [
        (["stock", "list", "--jsn"], "usage: build.py stock list", "--jsn"),
        (
            ["orders", "refund", "1001", "--amount", "5000"],
            "usage: build.py orders refund",
            "--amount 5000",
        ),
        (["build", "--ful"], "usage: build.py build", "--ful"),
    ],
)
def test_an_option_a_command_does_not_take_is_refused_with_that_commands_usage(
    argv: list[str], usage: str, left_over: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)

    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith(usage)  # not the top-level "usage: build.py [-h] COMMAND ..."
    assert error.rstrip().endswith(f"error: unrecognized arguments: {left_over}")


def test_an_abbreviated_option_is_not_taken_for_the_one_it_starts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # `--tab` was read as `--table`: a typo acted on against whatever table it named.
    with pytest.raises(SystemExit):
        main(["stock", "list", "--tab", "shop-inventory"])

    assert (
        capsys.readouterr()
        .err.rstrip()
        .endswith("error: unrecognized arguments: --tab shop-inventory")
    )
