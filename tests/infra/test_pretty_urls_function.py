"""The CloudFront Function in the template maps folder URLs to index.html (run in Node)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Any

import pytest

from tests.infra.cfn_template import load_template

CODE = load_template()["Resources"]["PrettyUrlsFunction"]["Properties"]["FunctionCode"]
NODE = shutil.which("node")
# In CI a missing Node.js is a failure (.ci/run installs it), elsewhere a skip.
pytestmark = pytest.mark.skipif(
    NODE is None and os.environ.get("CI") != "true", reason="Node.js is needed to run the function"
)


def run_function(uri: str, querystring: dict[str, Any] | None = None) -> dict[str, Any]:
    """Call the function's handler with a viewer-request event; returns its result."""
    event = {"request": {"uri": uri, "querystring": querystring or {}, "headers": {}}}
    script = f"{CODE}\nprocess.stdout.write(JSON.stringify(handler({json.dumps(event)})));"
    assert NODE is not None
    result = subprocess.run(
        [NODE, "-e", script], capture_output=True, text=True, check=True, timeout=30
    )
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


@pytest.mark.parametrize(
    ("uri", "rewritten"),
    [
        ("/", "/index.html"),
        ("/products/trail-shoe/", "/products/trail-shoe/index.html"),
        ("/fr/categories/footwear/", "/fr/categories/footwear/index.html"),
        ("/assets/site.1234abcd.css", "/assets/site.1234abcd.css"),
        ("/404.html", "/404.html"),
        ("/pagefind/fragment/en_abc.pf_fragment", "/pagefind/fragment/en_abc.pf_fragment"),
    ],
)
def test_folder_urls_are_served_from_their_index_file_and_files_pass_through(
    uri: str, rewritten: str
) -> None:
    assert run_function(uri)["uri"] == rewritten


def test_a_folder_url_without_its_slash_is_redirected_permanently_keeping_the_query() -> None:
    answer = run_function(
        "/order",
        {"o": {"value": "NW-1001"}, "t": {"value": "a b", "multiValue": [{"value": "a b"}]}},
    )
    assert answer["statusCode"] == 301
    assert answer["headers"]["location"]["value"] == "/order/?o=NW-1001&t=a%20b"


def test_a_redirect_without_query_has_no_question_mark() -> None:
    answer = run_function("/products/trail-shoe")
    assert answer["headers"]["location"]["value"] == "/products/trail-shoe/"


@pytest.mark.parametrize("uri", ["//evil.example/x", "/\\evil.example/x", "///\\/evil.example/x"])
def test_a_path_starting_with_more_slashes_is_never_redirected_to_another_site(uri: str) -> None:
    # "//evil.example/x/" in a Location header is another site to every browser.
    location = run_function(uri)["headers"]["location"]["value"]
    assert location == "/evil.example/x/"
