"""The LINE Messaging API: push a text to a linked LINE user, reply to a webhook event, check a webhook's signature.

Plain urllib, so production and the tests' local stand-in server go through the same code. The base URL is
`settings.LINE_API_BASE` (https://api.line.me); LINE is off unless the access token and channel secret are set.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.request

from django.conf import settings

TEXT_LIMIT = 5000  # LINE refuses a text message longer than this


class LineError(Exception):
    """LINE refused or could not be reached; the delivery is retried later."""


def enabled() -> bool:
    return bool(settings.LINE_CHANNEL_ACCESS_TOKEN and settings.LINE_CHANNEL_SECRET)


def _post(path: str, payload: dict, *, retry_key: str = "", timeout: float = 10.0) -> None:
    request = urllib.request.Request(  # noqa: S310 - the https base URL comes from settings
        f"{settings.LINE_API_BASE.rstrip('/')}{path}",
        data=json.dumps(payload, ensure_ascii=False).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.LINE_CHANNEL_ACCESS_TOKEN}"},
    )
    if retry_key:  # LINE drops a second push with the same key, so a retry after a lost answer is not a duplicate
        request.add_header("X-Line-Retry-Key", retry_key)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            response.read()
    except urllib.error.HTTPError as error:
        if error.code == 409 and retry_key:  # already accepted under this retry key
            return
        detail = error.read()[:500].decode(errors="replace")
        raise LineError(f"LINE answered {error.code}: {detail}") from None
    except (urllib.error.URLError, OSError) as error:
        raise LineError(f"LINE unreachable: {error}") from None


def push(*, to: str, text: str, retry_key: str = "") -> None:
    """Send `text` to the LINE user `to`; raises LineError when LINE does not accept it."""
    _post("/v2/bot/message/push", {"to": to, "messages": [{"type": "text", "text": text[:TEXT_LIMIT]}]},
          retry_key=retry_key)  # fmt: skip


def reply(*, reply_token: str, text: str) -> None:
    _post(
        "/v2/bot/message/reply", {"replyToken": reply_token, "messages": [{"type": "text", "text": text[:TEXT_LIMIT]}]}
    )


def signature(body: bytes, secret: str | None = None) -> str:
    """The X-Line-Signature LINE sends with a webhook: base64 of the body's HMAC-SHA256 under the channel secret."""
    key = (secret if secret is not None else settings.LINE_CHANNEL_SECRET).encode()
    return base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode()


def signature_valid(body: bytes, header: str) -> bool:
    return bool(settings.LINE_CHANNEL_SECRET and header) and hmac.compare_digest(signature(body), header)
