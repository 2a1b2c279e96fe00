"""The VAPID key pushes are signed with, and its public half for browsers."""

import base64
import functools
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from py_vapid import Vapid02


@functools.cache
def vapid() -> Vapid02 | None:
    """The configured key; in the demo and the tests one made once under
    VAR_DIR; None when pushes are off (production without a key)."""
    if settings.WEBPUSH_VAPID_PRIVATE_KEY:
        return Vapid02.from_pem(settings.WEBPUSH_VAPID_PRIVATE_KEY.encode())
    if not settings.WEBPUSH_KEY_FILE_ALLOWED:
        return None
    path = Path(settings.VAR_DIR) / "webpush" / "vapid_private.pem"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Vapid02()
        key.generate_keys()
        key.save_key(str(path))
    return Vapid02.from_file(str(path))


def application_server_key() -> str | None:
    """The public key as `PushManager.subscribe` takes it (base64url, raw)."""
    key = vapid()
    if key is None:
        return None
    raw = key.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
