"""The Mailer on Amazon SES: one MIME message with plain-text and HTML alternatives."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from shop.emails import OutgoingEmail
from shop.errors import StoreUnavailableError

if TYPE_CHECKING:
    from mypy_boto3_ses.client import SESClient


def deliverable_address(address: str) -> str:
    """`address` as SES and RFC 5322 take it: an internationalised domain in punycode.

    Python's email package wrote `claire@exämple.fr` as an RFC 2047 encoded word, which
    no address may contain, and SES refused the destination. A non-ASCII local part
    needs SMTPUTF8, which SES does not offer: a ValueError naming it.
    """
    local, _, domain = address.rpartition("@")
    if not local.isascii():
        raise ValueError(
            f"recipient {address!r}: expected an ASCII name before the @ (SES cannot send "
            "to a non-ASCII one)"
        )
    # The stdlib's IDNA 2003 codec: enough for domains, and no dependency of its own.
    return f"{local}@{domain.encode('idna').decode('ascii')}" if not domain.isascii() else address


def build_mime(message: OutgoingEmail, sender: str, reply_to: str | None = None) -> bytes:
    """The raw RFC 5322 message: text part first, HTML preferred by mail clients."""
    mime = EmailMessage()
    mime["Subject"] = message.subject
    mime["From"] = sender
    mime["To"] = deliverable_address(message.to)
    if reply_to:
        mime["Reply-To"] = reply_to
    mime["Date"] = formatdate(localtime=False)
    mime["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip(">") or None)
    mime["Content-Language"] = message.locale
    mime.set_content(message.text)
    mime.add_alternative(message.html, subtype="html")
    return mime.as_bytes()


class SesMailer:
    """Sends composed emails through SES `SendRawEmail`."""

    def __init__(self, client: SESClient, sender: str, reply_to: str | None = None) -> None:
        self.client = client
        self.sender = sender
        self.reply_to = reply_to

    def send(self, message: OutgoingEmail) -> str:
        """Send one email; returns SES's message id."""
        raw = build_mime(message, self.sender, self.reply_to)
        try:
            response = self.client.send_raw_email(
                Source=self.sender,
                Destinations=[deliverable_address(message.to)],
                RawMessage={"Data": raw},
            )
        except (ClientError, BotoCoreError) as exc:
            raise StoreUnavailableError("ses", "send_raw_email", str(exc)) from exc
        return str(response["MessageId"])
