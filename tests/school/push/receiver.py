"""A push service on loopback for the Web Push tests: it checks what a real one
checks (the VAPID JWT signed by the key in the Authorization header, for this
service's origin, not expired) and decrypts each message with the keys of the
subscription the test made (RFC 8291), the way the browser would.

Each subscription gets its own path; a test may make a path answer 410 (gone)
or fail a number of times first.
"""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Device:
    """What a browser holds for one subscription."""

    path: str
    key: ec.EllipticCurvePrivateKey
    auth: bytes
    answer: int = 201
    failures_left: int = 0
    received: list[dict] = field(default_factory=list)

    @property
    def p256dh(self) -> str:
        raw = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(raw)


class PushService:
    def __init__(self):
        self.devices: dict[str, Device] = {}
        self.refusals: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def device(self) -> Device:
        path = f"/push/{b64url(os.urandom(12))}"
        device = Device(
            path=path, key=ec.generate_private_key(ec.SECP256R1()), auth=os.urandom(16)
        )
        self.devices[path] = device
        return device

    def endpoint(self, device: Device) -> str:
        return self.origin + device.path

    def _check_vapid(self, header: str) -> str | None:
        """None when the header holds a valid VAPID token, else what is wrong."""
        parts = dict(
            item.strip().split("=", 1)
            for item in header.removeprefix("vapid ").split(",")
        )
        if "t" not in parts or "k" not in parts:
            return "no vapid t= and k="
        public = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), unb64url(parts["k"])
        )
        try:
            claims = jwt.decode(
                parts["t"], public, algorithms=["ES256"], audience=self.origin
            )
        except jwt.PyJWTError as error:
            return f"bad token: {error}"
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            return "no sub"
        if claims["exp"] > time.time() + 24 * 60 * 60:
            return "exp more than a day away"
        return None

    def _handler(self):
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                device = service.devices.get(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if device is None:
                    return self._answer(404)
                problem = service._check_vapid(self.headers.get("Authorization", ""))
                if (
                    problem is None
                    and self.headers.get("Content-Encoding") != "aes128gcm"
                ):
                    problem = "not aes128gcm"
                if problem is None and not self.headers.get("TTL"):
                    problem = "no TTL"
                if problem is not None:
                    service.refusals.append(problem)
                    return self._answer(401)
                if device.answer != 201:
                    return self._answer(device.answer)
                if device.failures_left:
                    device.failures_left -= 1
                    return self._answer(500)
                plain = http_ece.decrypt(
                    body,
                    private_key=device.key,
                    auth_secret=device.auth,
                    version="aes128gcm",
                )
                device.received.append(json.loads(plain))
                return self._answer(201)

            def _answer(self, status: int):
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler
