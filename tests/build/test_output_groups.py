"""Output groups: a file is staged only when its bytes changed, large or small."""

from __future__ import annotations

from pathlib import Path

import pytest

from storefront import output_groups
from storefront.build_state import BuildState, GroupState, digest_bytes
from storefront.output import OutputFile
from storefront.output_groups import SiteOutputs


@pytest.mark.parametrize("large_from", [1, 10**9], ids=["digested-while-written", "small"])
def test_only_files_whose_bytes_changed_are_staged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, large_from: int
) -> None:
    # Given a previous build with two feed files
    monkeypatch.setattr(output_groups, "_LARGE", large_from)
    old = {"feeds/a.xml": digest_bytes(b"same"), "feeds/b.xml": digest_bytes(b"old")}
    previous = BuildState("inputs", {"index:feeds": GroupState("old key", old)})
    outputs = SiteOutputs(previous, tmp_path)

    # When the group is made again with one file changed
    made = [OutputFile("feeds/a.xml", b"same"), OutputFile("feeds/b.xml", b"new")]
    assert outputs.produce("index:feeds", "new key", lambda: made)

    # Then only that file is staged and recorded as written, and both digests are new ones
    assert outputs.written == ["feeds/b.xml"]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.xml")) == [
        "feeds/b.xml"
    ]
    assert (tmp_path / "feeds" / "b.xml").read_bytes() == b"new"
    assert outputs.public_files() == {
        "feeds/a.xml": digest_bytes(b"same"),
        "feeds/b.xml": digest_bytes(b"new"),
    }
