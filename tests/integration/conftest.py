"""The city identity provider as a real process, and a browser-less user agent.

`city_idp` starts `node idp/server.mjs` once per test session, signing with a key
the tests hold too, so they can forge tokens the platform would otherwise accept.
`token_proxy` sits between the platform and the provider's token endpoint and
swaps the ID token in the answer for a forged one.
"""

import base64
import json
import queue
import re
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parents[2]
IDP_DIR = ROOT / "idp"
READY_LINE = re.compile(r"city-idp listening on (\S+)")
STARTUP_SECONDS = 30
CITY_PASSWORD = "city-password"


@dataclass
class CityIdP:
    """A running city identity provider and the private key it signs with."""

    issuer: str
    discovery: dict
    accounts_file: Path
    private_key: rsa.RSAPrivateKey
    kid: str
    output: list[str] = field(default_factory=list)

    def set_accounts(self, *accounts: dict) -> None:
        """Replaces the accounts; the provider reads the file at every sign-in."""
        self.accounts_file.write_text(json.dumps(list(accounts)), encoding="utf-8")

    def sign(self, claims: dict, *, key: rsa.RSAPrivateKey | None = None) -> str:
        return jwt.encode(
            claims,
            key or self.private_key,
            algorithm="RS256",
            headers={"kid": self.kid},
        )


def city_account(sub: str, *, password: str = CITY_PASSWORD, **claims) -> dict:
    """An entry of the provider's accounts file, in the shape seed_demo writes."""
    base = {
        "given_name": sub.title(),
        "family_name": "Смирнов",
        "email": f"{sub}@mos.example",
        "preferred_username": sub,
        "roles": [],
        "school_ids": [],
        "children": [],
    }
    return {"sub": sub, "login": sub, "password": password, "claims": base | claims}


def _private_jwks(key: rsa.RSAPrivateKey, kid: str) -> dict:
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(key, as_dict=True)
    # PyJWT marks a private key "key_ops": ["sign"]; the provider then refuses to
    # verify its own ID tokens with it (id_token_hint at logout).
    jwk.pop("key_ops", None)
    return {"keys": [jwk | {"kid": kid, "alg": "RS256", "use": "sig"}]}


def _drain(stream, lines: list[str], ready: queue.Queue) -> None:
    # Keep reading so that the provider never blocks on a full pipe.
    for line in stream:
        lines.append(line)
        match = READY_LINE.search(line)
        if match:
            ready.put(match.group(1))
    ready.put(None)


def _wait_ready(process: subprocess.Popen, ready: queue.Queue, output: list) -> str:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            issuer = ready.get(timeout=0.5)
        except queue.Empty:
            continue
        if issuer:
            return issuer
        if process.poll() is not None:
            break
    raise RuntimeError("the city IdP did not start:\n" + "".join(output))


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def city_idp(live_server, tmp_path_factory) -> Iterator[CityIdP]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed; the city IdP cannot run.")
    if not (IDP_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.skip("idp/node_modules is missing; run `npm ci --prefix idp`.")
    workdir = tmp_path_factory.mktemp("city-idp")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = f"test-{uuid.uuid4().hex[:8]}"
    (workdir / "jwks.json").write_text(json.dumps(_private_jwks(key, kid)))
    accounts_file = workdir / "accounts.json"
    accounts_file.write_text("[]")
    env = {
        "PATH": str(Path(node).parent),
        "IDP_PORT": "0",
        "IDP_HOST": "127.0.0.1",
        "IDP_ACCOUNTS_FILE": str(accounts_file),
        "IDP_JWKS_FILE": str(workdir / "jwks.json"),
        "IDP_RP_BASE_URLS": live_server.url,
        "IDP_CLIENT_SECRET": django_settings.OIDC_RP_CLIENT_SECRET,
    }
    process = subprocess.Popen(
        [node, str(IDP_DIR / "server.mjs")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    ready: queue.Queue = queue.Queue()
    threading.Thread(
        target=_drain, args=(process.stdout, output, ready), daemon=True
    ).start()
    try:
        issuer = _wait_ready(process, ready, output)
        discovery = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=10
        ).json()
        yield CityIdP(issuer, discovery, accounts_file, key, kid, output)
    finally:
        _stop(process)


@pytest.fixture
def sso(city_idp, settings) -> CityIdP:
    """Points the platform's SSO settings at the running provider."""
    meta = city_idp.discovery
    settings.OIDC_OP_ISSUER = meta["issuer"]
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = meta["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = meta["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = meta["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = meta["jwks_uri"]
    settings.OIDC_OP_END_SESSION_ENDPOINT = meta["end_session_endpoint"]
    city_idp.set_accounts()
    return city_idp


# --- Forged ID tokens through a token-endpoint proxy


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(claims: dict) -> str:
    """An `alg: none` token: no signature at all."""
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{_b64(json.dumps(claims).encode())}."


def flip_signature_byte(token: str) -> str:
    header, payload, signature = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[len(raw) // 2] ^= 0x01
    return f"{header}.{payload}.{_b64(bytes(raw))}"


def token_claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


class TokenProxy:
    """Forwards the code exchange to the provider and rewrites the ID token."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.rewrite: Callable[[str], str] = lambda token: token
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/token"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handler(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                answer = requests.post(
                    proxy.upstream,
                    data=body,
                    headers={"Content-Type": self.headers["Content-Type"]},
                    timeout=10,
                )
                payload = answer.json()
                if answer.ok and "id_token" in payload:
                    payload["id_token"] = proxy.rewrite(payload["id_token"])
                data = json.dumps(payload).encode()
                self.send_response(answer.status_code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def token_proxy(sso, settings) -> Iterator[TokenProxy]:
    proxy = TokenProxy(sso.discovery["token_endpoint"])
    proxy.thread.start()
    settings.OIDC_OP_TOKEN_ENDPOINT = proxy.url
    try:
        yield proxy
    finally:
        proxy.server.shutdown()
        proxy.server.server_close()


# --- A user agent that follows redirects like a browser


FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')


def form_action(page: requests.Response) -> str:
    match = FORM_ACTION.search(page.text)
    assert match, f"no form on {page.url}: {page.text[:500]}"
    return urljoin(page.url, match.group(1).replace("&amp;", "&"))


def hidden_field(page: requests.Response, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page.text)
    assert match, f"no {name} field on {page.url}"
    return match.group(1)
