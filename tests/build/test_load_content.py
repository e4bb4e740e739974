"""Reading content files: front matter and body lines, encodings, missing files, parallel reads."""

from __future__ import annotations

from pathlib import Path

from storefront.errors import ErrorList
from storefront.load_content import load_content, read_markdown_file, read_markdown_files


def test_markdown_front_matter_lines_count_from_the_top_of_the_file(tmp_path: Path) -> None:
    (tmp_path / "p.md").write_text("---\ntitle: T\nprice: 1.50\n---\nBody line\n", "utf-8")
    errors = ErrorList()
    doc = read_markdown_file(tmp_path, "p.md", errors)
    assert not errors
    assert doc.data.key_lines == {"title": 2, "price": 3}
    assert doc.body == "Body line\n"
    assert doc.body_line == 5


def test_windows_line_endings_and_a_byte_order_mark_do_not_shift_lines(tmp_path: Path) -> None:
    (tmp_path / "p.md").write_bytes(b"\xef\xbb\xbf---\r\ntitle: T\r\nsku: A\r\n---\r\nBody\r\n")
    errors = ErrorList()
    doc = read_markdown_file(tmp_path, "p.md", errors)
    assert not errors
    assert doc.data.key_lines == {"title": 2, "sku": 3}
    assert doc.body == "Body\n"


def test_classic_mac_line_endings_are_line_ends_too(tmp_path: Path) -> None:
    # A file saved with lone \r was reported as having no front matter at all.
    (tmp_path / "p.md").write_bytes(b"---\rtitle: T\rsku: A\r---\rBody\r")
    errors = ErrorList()
    doc = read_markdown_file(tmp_path, "p.md", errors)
    assert not errors
    assert doc.data.key_lines == {"title": 2, "sku": 3}
    assert doc.body == "Body\n"


def test_a_markdown_file_without_front_matter_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "p.md").write_text("title: T\n", "utf-8")
    errors = ErrorList()
    doc = read_markdown_file(tmp_path, "p.md", errors)
    assert not doc.parsed
    assert [str(e) for e in errors.errors] == [
        f"{tmp_path.as_posix()}/p.md:1: front matter: expected YAML front matter between two "
        "--- lines at the top"
    ]


def test_front_matter_that_is_not_a_mapping_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "p.md").write_text("---\n- a\n- b\n---\n", "utf-8")
    errors = ErrorList()
    read_markdown_file(tmp_path, "p.md", errors)
    assert [e.message for e in errors.errors] == [
        "expected a mapping of fields (key: value), got a list"
    ]


def test_invalid_utf8_is_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "p.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
    errors = ErrorList()
    read_markdown_file(tmp_path, "p.md", errors)
    assert [(e.line, e.field, e.message) for e in errors.errors] == [
        (2, "file", "expected UTF-8 text, found the byte 0xe9")
    ]


def test_a_missing_catalog_yaml_and_content_folder_are_reported(tmp_path: Path) -> None:
    errors = ErrorList()
    raw = load_content(tmp_path / "nowhere", errors)
    assert [(e.field, e.message) for e in errors.errors] == [
        ("content", "expected a content folder, found none"),
        ("file", "not found; every shop needs one (see docs/content.md)"),
    ]
    assert raw.products == ()


def test_reading_in_parallel_gives_the_same_documents_and_errors_as_reading_here(
    tmp_path: Path,
) -> None:
    names = []
    for i in range(30):
        body = f"---\ntitle: Product {i}\nprice: {i}.90\n---\nBody {i}\n"
        if i == 7:
            body = "---\ntitle: [broken\n---\n"
        (tmp_path / f"p{i:02d}.md").write_text(body, "utf-8")
        names.append(f"p{i:02d}.md")
    here, there = ErrorList(), ErrorList()
    serial = read_markdown_files(tmp_path, names, here, workers=1)
    parallel = read_markdown_files(tmp_path, names, there, workers=2)
    assert [str(e) for e in there.errors] == [str(e) for e in here.errors]
    assert len(here.errors) == 1
    assert [(d.relative, d.data, d.data.key_lines, d.body) for d in parallel] == [
        (d.relative, d.data, d.data.key_lines, d.body) for d in serial
    ]
    assert parallel[3].data["price"] == "3.90"
