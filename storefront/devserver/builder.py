"""Run the real build (`python build.py build`) for `serve`, in a child process.

A child process keeps the server safe from anything a build does (a crash,
a leak, half-imported modules) and builds exactly what CI builds. The build
itself swaps `dist/` only on success, so a failed rebuild leaves the last good
site in place.

Starting Python and importing the build stack costs about half a second per
build, more than an incremental rebuild of one product. So where the platform
allows, each build runs in a fresh process forked from a warm one (a
multiprocessing fork server that imported the build once): the isolation of
a child process without paying for the imports on every edit. Edits to the
build's own code (storefront/) need a restart of `serve`, as for the server.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import multiprocessing.connection
import os
import pkgutil
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Protocol, TextIO

ROOT = Path(__file__).resolve().parents[2]

# The build's own modules, imported once by the warm process so every build forked
# from it starts with them loaded: each top-level module of the storefront package
# (none imports boto3 or moto; the packages under it, like devserver and deploy, do).
PRELOAD = (
    "storefront.cli",
    "storefront.commands.build",
    "storefront.devserver.builder",
    *sorted(
        f"storefront.{module.name}"
        for module in pkgutil.iter_modules([str(ROOT / "storefront")])
        if not module.ispkg
    ),
)


class BuildError(RuntimeError):
    """The build reported errors; the message is what it printed (file:line: field: …)."""

    def __init__(self, message: str, *, shown: bool = False) -> None:
        super().__init__(message)
        self.shown = shown  # already printed on the terminal as the build ran


class Build(Protocol):
    """Builds once, returning the seconds it took; raises BuildError."""

    def __call__(
        self, content_dir: Path, out_dir: Path, site_dir: Path, *, show_output: bool = False
    ) -> float: ...


def build_arguments(content_dir: Path, out_dir: Path, site_dir: Path) -> list[str]:
    """`build.py`'s arguments that build `content_dir` with the theme `site_dir` into `out_dir`."""
    return [
        "build",
        "--content",
        str(content_dir.resolve()),
        "--out",
        str(out_dir.resolve()),
        "--site",
        str(site_dir.resolve()),
    ]


def build_command(content_dir: Path, out_dir: Path, site_dir: Path) -> list[str]:
    """The command line that builds `content_dir` with the theme in `site_dir` into `out_dir`."""
    return [
        sys.executable,
        str(ROOT / "build.py"),
        *build_arguments(content_dir, out_dir, site_dir),
    ]


def run_build(
    content_dir: Path, out_dir: Path, site_dir: Path, *, show_output: bool = False
) -> float:
    """Build once in a new interpreter; returns the seconds it took, or raises BuildError.

    The output is only captured (`show_output` needs the warm builder's tee).
    """
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 - our own interpreter and script, no shell
        build_command(content_dir, out_dir, site_dir),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        output = (result.stderr.strip() or result.stdout.strip()) or f"exit {result.returncode}"
        raise BuildError(output)
    return time.monotonic() - started


class _Tee(io.StringIO):
    """Keeps what is written and shows it on the terminal as it comes (progress, errors)."""

    def __init__(self, terminal: TextIO) -> None:
        super().__init__()
        self.terminal = terminal

    def write(self, text: str) -> int:
        self.terminal.write(text)
        self.terminal.flush()
        return super().write(text)

    def isatty(self) -> bool:
        return self.terminal.isatty()  # so the build shows progress on a terminal only


def _build_in_child(
    arguments: list[str], results: multiprocessing.connection.Connection, show: bool = False
) -> None:
    """The forked child: run the build command, send back (exit status, stdout, stderr)."""
    os.chdir(ROOT)  # as the subprocess build runs
    out = _Tee(sys.stdout) if show else io.StringIO()
    err = _Tee(sys.stderr) if show else io.StringIO()
    status = 1
    try:
        from storefront.cli import main

        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(arguments)
    except SystemExit as exc:  # argparse refusing the arguments
        status = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # a crash in the build: its traceback is the message
        err.write(traceback.format_exc())
    results.send((status, out.getvalue(), err.getvalue()))
    results.close()


class WarmBuilder:
    """Builds in fresh child processes forked from a process that already imported the build."""

    def __init__(self) -> None:
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(list(PRELOAD))

    @staticmethod
    def available() -> bool:
        """True where a fork server exists (Linux, macOS); elsewhere use `run_build`."""
        return "forkserver" in multiprocessing.get_all_start_methods()

    def build(
        self, content_dir: Path, out_dir: Path, site_dir: Path, *, show_output: bool = False
    ) -> float:
        """Build once; returns the seconds it took, or raises BuildError with the build's output.

        `show_output` also prints the build's output (its progress on a terminal) as it runs.
        """
        started = time.monotonic()
        receiving, sending = self._context.Pipe(duplex=False)
        child = self._context.Process(
            target=_build_in_child,
            args=(build_arguments(content_dir, out_dir, site_dir), sending, show_output),
            name="build",
        )
        child.start()
        sending.close()  # only the child writes: EOF here means it died without answering
        try:
            status, out, err = receiving.recv()
        except EOFError:
            status, out, err = None, "", ""
        finally:
            receiving.close()
            child.join()
        if status is None:
            raise BuildError(f"the build process died (exit code {child.exitcode})")
        if status != 0:
            raise BuildError((err.strip() or out.strip()) or f"exit {status}", shown=show_output)
        return time.monotonic() - started
