"""The outbox shows every email sent through emulated SES, with its text and HTML parts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import boto3
import pytest
from moto import mock_aws

from storefront.devserver.http import Request
from storefront.devserver.outbox import handle_outbox, sent_emails

SENDER = "hello@shop.example.com"


@pytest.fixture
def ses(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """An SES v1 client on moto with the shop's sender verified."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        client = boto3.client("ses", region_name="eu-west-1")
        client.verify_email_identity(EmailAddress=SENDER)
        yield client


def send_raw_confirmation(ses: Any) -> None:
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = "claire@example.org"
    message["Subject"] = "Order NW-1001 confirmed"
    message.set_content("Ridge Trail Shoe × 1  129,00 €\nTotal 129,00 €")
    message.add_alternative(
        "<p>Ridge Trail Shoe × 1</p><p>Total <b>129,00 €</b></p>", subtype="html"
    )
    ses.send_raw_email(RawMessage={"Data": message.as_bytes()})


def test_raw_mime_email_keeps_both_parts(ses: Any) -> None:
    send_raw_confirmation(ses)
    [sent] = sent_emails()
    assert sent.to == ["claire@example.org"]
    assert sent.subject == "Order NW-1001 confirmed"
    assert sent.text is not None
    assert "Total 129,00 €" in sent.text
    assert sent.html is not None
    assert "<b>129,00 €</b>" in sent.html


def test_sesv2_simple_email_is_listed_with_its_html_body(ses: Any) -> None:
    boto3.client("sesv2", region_name="eu-west-1").send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": ["a@example.org"]},
        Content={
            "Simple": {
                "Subject": {"Data": "Shipped"},
                "Body": {"Text": {"Data": "on its way"}, "Html": {"Data": "<p>on its way</p>"}},
            }
        },
    )
    [sent] = sent_emails()
    assert (sent.to, sent.subject, sent.html) == (["a@example.org"], "Shipped", "<p>on its way</p>")


def test_outbox_json_lists_recipient_subject_text_and_html(ses: Any) -> None:
    send_raw_confirmation(ses)
    response = handle_outbox(Request("GET", "/_dev/outbox.json"))
    [item] = json.loads(response.body)
    assert item["to"] == ["claire@example.org"]
    assert item["from"] == SENDER
    assert item["subject"] == "Order NW-1001 confirmed"
    assert "Total 129,00 €" in item["text"]
    assert "<b>129,00 €</b>" in item["html"]


def test_outbox_page_links_each_email_and_serves_it_as_html(ses: Any) -> None:
    send_raw_confirmation(ses)
    page = handle_outbox(Request("GET", "/_dev/outbox")).body.decode()
    assert "Order NW-1001 confirmed" in page
    assert 'href="/_dev/outbox/1"' in page
    one = handle_outbox(Request("GET", "/_dev/outbox/1"))
    assert one.header("content-type") == "text/html; charset=utf-8"
    assert b"<b>129,00 \xe2\x82\xac</b>" in one.body
    text = handle_outbox(Request("GET", "/_dev/outbox/1.txt"))
    assert "Total 129,00 €" in text.body.decode()


def test_unknown_email_number_is_a_404_saying_how_many_exist(ses: Any) -> None:
    response = handle_outbox(Request("GET", "/_dev/outbox/7"))
    assert response.status == 404
    assert b"0 sent" in response.body
