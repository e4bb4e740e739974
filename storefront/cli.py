"""The command line behind `python build.py` and the `storefront` console script."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

# One module per subcommand under storefront/commands/, each exposing
# `register(subparsers)`. Order here is the order shown in --help.
COMMAND_MODULES: tuple[str, ...] = (
    "storefront.commands.build",
    "storefront.commands.check",
    "storefront.commands.serve",
    "storefront.commands.stock",
    "storefront.commands.orders",
    "storefront.commands.deploy",
)
# 128 + SIGPIPE: the status a shell reports for a program whose output pipe closed.
SIGPIPE_STATUS = 141


class CommandParser(argparse.ArgumentParser):
    """argparse as the commands need it: whole option names only, and a command's own
    usage for an argument it does not take.

    argparse's defaults would take `--tab` for `--table` (a typo acted on), and an
    unknown option after a subcommand would be reported with the top-level usage
    ("usage: build.py [-h] COMMAND ..."), which says nothing about the command typed.
    Every parser made under this one (subcommands, their actions) is one too.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def parse_known_args(  # type: ignore[override]  # typeshed's overloads; same behaviour
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        """Parse, and refuse what is left over with this parser's own usage."""
        parsed, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed, extras


def make_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Build the argument parser with every available subcommand (or just `only`) registered."""
    parser = CommandParser(
        prog="build.py",
        description="Build the static storefront, validate content, serve it locally, "
        "and run the shop's back office.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        # Import only the command being run: `serve` pulls in moto and boto3 (seconds),
        # which `check` and `build` must not pay for. Help and typos load them all.
        if only is not None and name.rsplit(".", 1)[1] != only:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # A command whose module is not written yet is simply not offered.
            if exc.name == name:
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; with no command, build the shop. Returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in ("-h", "--help")):
        args_list = ["build", *args_list]
    known = {name.rsplit(".", 1)[1] for name in COMMAND_MODULES}
    parser = make_parser(args_list[0] if args_list[0] in known else None)
    args = parser.parse_args(args_list)
    run = getattr(args, "run", None)
    if run is None:
        parser.print_help()
        return 2
    try:
        status: int = run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`build.py stock list | head`): that is not an error of
        # ours, so no traceback. Point stdout at /dev/null so that Python's own flush at
        # exit does not raise again, and exit as a process killed by SIGPIPE would.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return SIGPIPE_STATUS
    return status
