"""The IP address a request came from, as far as the function can trust it.

Behind CloudFront, API Gateway's `sourceIp` is a CloudFront edge server shared by
many shoppers; CloudFront names the viewer in `CloudFront-Viewer-Address`
("198.51.100.10:46532", "2001:db8::1:46532"). Anyone can send that header
straight to the API's own execute-api address, so it is believed only on
requests carrying the secret CloudFront adds as `X-Origin-Verify`. Without a
configured secret (the local shop) or without the header (a direct call),
`sourceIp` is the client itself.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Mapping

ORIGIN_VERIFY_HEADER = "x-origin-verify"
VIEWER_ADDRESS_HEADER = "cloudfront-viewer-address"


def viewer_address(
    headers: Mapping[str, str], source_ip: str, origin_secret: str | None
) -> str | None:
    """The client's IP address; None when it came through CloudFront without a valid one.

    `headers` are lower-cased, as API Gateway's HTTP API gives them.
    """
    sent = headers.get(ORIGIN_VERIFY_HEADER)
    if not origin_secret or sent is None:
        return source_ip or None
    if not hmac.compare_digest(sent.encode(), origin_secret.encode()):
        return source_ip or None  # not CloudFront's: a direct call, with its own address
    address, _, port = headers.get(VIEWER_ADDRESS_HEADER, "").rpartition(":")
    address = address.strip("[]")
    if not port.isdigit() or not _is_ip(address):
        return None  # CloudFront's header is "address:port"; anything else is not its
    return address


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
