"""The local outbox: every email the functions sent through (moto's) SES, readable by a person.

`/_dev/outbox` lists them, `/_dev/outbox/<n>` shows one as the shopper sees it
(its HTML part, or its text part), `/_dev/outbox.json` gives the same list to
tests and scripts: `[{"id", "from", "to", "subject", "text", "html"}]`, oldest first.
"""

from __future__ import annotations

import email
import email.policy
import html
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from typing import Any

from moto.ses.models import ses_backends

from storefront.devserver.http import Request, Response, json_response, text_response


@dataclass(frozen=True, slots=True)
class SentEmail:
    """One sent email, with whichever parts it had (None when absent)."""

    id: str
    sender: str
    to: list[str]
    subject: str
    text: str | None
    html: str | None

    def to_json(self) -> dict[str, Any]:
        """The outbox.json form; `from` is spelled as in an email header."""
        data = asdict(self)
        data["from"] = data.pop("sender")
        return data


def _part(message: EmailMessage, subtype: str) -> str | None:
    part = message.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_type() != f"text/{subtype}":
        return None
    content = part.get_content()
    return content if isinstance(content, str) else None


def _from_raw(message_id: str, destinations: list[str], raw: str) -> SentEmail:
    # Parse bytes, not str: 8bit UTF-8 parts only decode right from their bytes.
    parsed = email.message_from_bytes(raw.encode("utf-8"), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)  # guaranteed by policy.default
    listed = destinations or [a.strip() for a in str(parsed.get("To", "")).split(",")]
    # moto adds the header recipients to the Destinations given: list each once.
    to = list(dict.fromkeys(a for a in listed if a))
    return SentEmail(
        id=message_id,
        sender=str(parsed.get("From", "")),
        to=to,
        subject=str(parsed.get("Subject", "")),
        text=_part(parsed, "plain"),
        html=_part(parsed, "html"),
    )


def _from_simple(message: Any) -> SentEmail:
    destinations = message.destinations or {}
    to = [
        address
        for key in ("ToAddresses", "CcAddresses", "BccAddresses")
        for address in destinations.get(key, [])
    ]
    body: str = message.body or ""
    # SES's simple API stores the HTML part when both are given (moto keeps one body).
    is_html = body.lstrip().startswith("<")
    return SentEmail(
        id=message.id,
        sender=message.source,
        to=to,
        subject=message.subject,
        text=None if is_html else body,
        html=body if is_html else None,
    )


def sent_emails() -> list[SentEmail]:
    """Every email sent through the emulated SES (v1 or v2, simple or raw), oldest first."""
    found: list[SentEmail] = []
    for _account, regions in ses_backends.items():
        for _region, backend in regions.items():
            for message in backend.sent_messages:
                if hasattr(message, "raw_data"):
                    found.append(
                        _from_raw(message.id, list(message.destinations), message.raw_data)
                    )
                elif hasattr(message, "body"):
                    found.append(_from_simple(message))
    return found


_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Outbox · local shop</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ddd;padding:.5rem;
text-align:left;vertical-align:top}}</style></head><body>
<h1>Outbox</h1><p>{summary} Sent by the local shop through emulated SES;
nothing left this computer. <a href="/_dev/outbox.json">JSON</a></p>
<table><thead><tr><th>#</th><th>To</th><th>Subject</th><th>View</th></tr></thead>
<tbody>{rows}</tbody></table></body></html>"""


def _row(number: int, sent: SentEmail) -> str:
    views = []
    if sent.html is not None:
        views.append(f'<a href="/_dev/outbox/{number}">HTML</a>')
    if sent.text is not None:
        views.append(f'<a href="/_dev/outbox/{number}.txt">text</a>')
    return (
        f"<tr><td>{number}</td><td>{html.escape(', '.join(sent.to))}</td>"
        f"<td>{html.escape(sent.subject)}</td><td>{' · '.join(views)}</td></tr>"
    )


def render_outbox_page(emails: list[SentEmail]) -> str:
    """The outbox list page, newest first."""
    rows = "".join(_row(n, e) for n, e in reversed(list(enumerate(emails, start=1))))
    summary = (
        f"{len(emails)} email{'s' if len(emails) != 1 else ''}." if emails else "No email yet."
    )
    return _PAGE.format(summary=summary, rows=rows or '<tr><td colspan="4">—</td></tr>')


def handle_outbox(request: Request) -> Response:
    """Serve /_dev/outbox, /_dev/outbox.json and /_dev/outbox/<n>[.txt]."""
    emails = sent_emails()
    path = request.path.rstrip("/")
    if path == "/_dev/outbox.json":
        return json_response(200, [e.to_json() for e in emails])
    if path == "/_dev/outbox":
        return text_response(200, render_outbox_page(emails), "text/html")
    name = path.removeprefix("/_dev/outbox/")
    as_text = name.endswith(".txt")
    number = name.removesuffix(".txt")
    if not number.isdigit() or not 1 <= int(number) <= len(emails):
        return text_response(404, f"No email #{number} in the outbox ({len(emails)} sent).\n")
    sent = emails[int(number) - 1]
    if as_text or sent.html is None:
        return text_response(200, sent.text or "", "text/plain")
    response = text_response(200, sent.html, "text/html")
    # Mail clients run no scripts; neither does this view.
    response.headers.append(("Content-Security-Policy", "script-src 'none'"))
    return response
