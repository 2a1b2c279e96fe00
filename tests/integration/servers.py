"""Helpers for tests that run the platform in separate processes.

They start real ASGI servers (Daphne) on free ports, give them a database of their
own, and stop them by pid. Nothing here is a pytest fixture, so the integration and
browser suites can build their own fixtures on top.
"""

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parents[2]
PYTHON = Path(sys.executable)
DAPHNE = PYTHON.parent / "daphne"
SETTINGS = "config.settings.test"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
# A server has this long to start listening; it only bounds a wait, asserts nothing.
START_DEADLINE = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def postgres_url() -> str | None:
    """DATABASE_URL if it names PostgreSQL, else the local default; None if silent."""
    url = os.environ.get("DATABASE_URL") or DEFAULT_POSTGRES
    parts = urlsplit(url)
    if not parts.scheme.startswith(("postgres", "pgsql")):
        url, parts = DEFAULT_POSTGRES, urlsplit(DEFAULT_POSTGRES)
    return url if _answers(parts.hostname or "127.0.0.1", parts.port or 5432) else None


def redis_url() -> str | None:
    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS
    parts = urlsplit(url.split(",")[0].strip())
    return url if _answers(parts.hostname or "127.0.0.1", parts.port or 6379) else None


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_sql(url: str, statement: str) -> None:
    import psycopg

    maintenance = _with_database(url, "postgres").replace(
        "postgres://", "postgresql://"
    )
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(statement)


@contextlib.contextmanager
def scratch_postgres(url: str, prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for one test run, dropped afterwards."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    _admin_sql(url, f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(url, name)
    finally:
        _admin_sql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(**overrides: str) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "PYTHONUNBUFFERED": "1"}
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str], stdin: str | None = None) -> str:
    """Runs manage.py in a subprocess; returns stdout, raises with stderr on failure."""
    done = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def run_script(script: str, *, env: dict[str, str]) -> dict:
    """Runs Python in `manage.py shell`; the script prints one JSON line last."""
    output = manage("shell", "--no-imports", "-c", script, env=env)
    return json.loads(output.strip().splitlines()[-1])


@dataclass
class Server:
    """An ASGI server process on 127.0.0.1:<port>, logging to a file."""

    command: list[str]
    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def origin(self) -> str:
        return self.base_url

    def start(self) -> "Server":
        command = [part.format(port=self.port) for part in self.command]
        # Appends: a server restarted by a test keeps the log of its first life.
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_until_listening()
        return self

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + START_DEADLINE
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            with contextlib.suppress(requests.RequestException):
                requests.get(f"{self.base_url}/login/", timeout=2)
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.command[0]} did not start:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stops the server and anything it started (its own process group)."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def kill(self) -> None:
        """Kills the server at once (SIGKILL), as a crash would; start() restarts it."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        text = self.log_path.read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def daphne(env: dict[str, str], log_path: Path) -> Server:
    command = [
        str(DAPHNE),
        "-b",
        "127.0.0.1",
        "-p",
        "{port}",
        "config.asgi:application",
    ]
    return Server(command=command, env=env, log_path=log_path)


def runserver(env: dict[str, str], log_path: Path) -> Server:
    """Daphne through `runserver`, which also serves static files (`--insecure`)."""
    command = [
        str(PYTHON),
        "manage.py",
        "runserver",
        "--noreload",
        "--insecure",
        "127.0.0.1:{port}",
    ]
    return Server(command=command, env=env, log_path=log_path)


# --- Talking to a running server like a browser does.

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(page: requests.Response) -> str:
    match = CSRF_FIELD.search(page.text)
    if match is None:
        raise AssertionError(f"No CSRF field on {page.url} ({page.status_code}).")
    return match.group(1)


def sign_in(base_url: str, username: str, password: str) -> requests.Session:
    """Signs in with the local password form; returns the browser-like session."""
    session = requests.Session()
    form = session.get(f"{base_url}/login/", timeout=10)
    response = session.post(
        f"{base_url}/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": csrf_token(form),
        },
        allow_redirects=False,
        timeout=10,
    )
    if response.status_code != 302:
        raise AssertionError(f"{username} was not signed in ({response.status_code}).")
    return session


def post_form(session: requests.Session, url: str, data: dict) -> requests.Response:
    """GETs a form page for its CSRF token, then POSTs `data` to it."""
    token = csrf_token(session.get(url, timeout=10))
    return session.post(
        url,
        data={**data, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=10,
    )


# --- A small city in the servers' database, built with the test factories.

PASSWORD = "correct horse battery"  # the factories' default
SEED_SCRIPT = """
import json
from tests import factories
maths = factories.SubjectFactory(code="mathematics", name="Математика")
class_one = factories.ClassGroupFactory(grade=5, letter="А")
class_two = factories.ClassGroupFactory(grade=7, letter="Б")
teacher = factories.make_teacher(class_one, maths, username="alice", first_name="Алиса")
petya = factories.make_pupil(class_one, username="petya", first_name="Петя")
masha = factories.make_pupil(class_two, username="masha", first_name="Маша")
parent = factories.make_parent(petya, masha, username="olga", first_name="Ольга")
admin = factories.make_school_admin(class_one.school, username="admin1")
# They have seen the first-day tour (tests/e2e/test_app.py shows it to a new pupil).
from django.utils import timezone
from school.models import User
User.objects.update(tour_done_at=timezone.now())
print(json.dumps({
    "school_one": class_one.school.pk,
    "school_one_name": class_one.school.name,
    "school_two_name": class_two.school.name,
    "petya": petya.full_name,
    "masha": masha.full_name,
}))
"""


def seed_city(env: dict[str, str]) -> dict:
    """Users alice (teacher), petya and masha (pupils), olga (their parent), admin1.

    petya is in 5А of school one, masha in 7Б of school two; admin1 runs school one.
    All sign in with PASSWORD.
    """
    return run_script(SEED_SCRIPT, env=env)
