"""A served platform and a real Chromium for the browser tests.

The site runs in its own process (`manage.py runserver --insecure`: Daphne with
static files) against a database prepared here: a SQLite file by default, a scratch
PostgreSQL database when DATABASE_URL names one. REDIS_URL is passed on when set.
"""

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.integration import servers

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}


@dataclass
class Site:
    server: servers.Server
    city: dict

    def url(self, path: str) -> str:
        return f"{self.server.base_url}{path}"


@contextlib.contextmanager
def _database(workdir: Path) -> Iterator[str]:
    configured = os.environ.get("DATABASE_URL", "")
    if configured.startswith(("postgres", "pgsql")):
        with servers.scratch_postgres(configured, "school_e2e") as url:
            yield url
    else:
        yield f"sqlite:///{workdir / 'e2e.sqlite3'}"


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Iterator[Site]:
    workdir = tmp_path_factory.mktemp("e2e")
    with _database(workdir) as database_url:
        extra = {"DATABASE_URL": database_url, "VAR_DIR": str(workdir)}
        if os.environ.get("REDIS_URL"):
            extra["REDIS_URL"] = os.environ["REDIS_URL"]
        env = servers.server_env(**extra)
        servers.manage("migrate", "--no-input", "-v", "0", env=env)
        city = servers.seed_city(env)
        server = servers.runserver(env, workdir / "server.log")
        try:
            server.start()
            yield Site(server=server, city=city)
        finally:
            server.stop()


# Package scope: Playwright's sync API keeps its event loop set as running while
# it is open, and asyncio tests after tests/e2e/ could not start theirs.
@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser):
    """Opens pages, each in its own browser context (its own cookies)."""
    contexts = []

    def open_page(viewport: dict | None = None):
        context = browser.new_context(viewport=viewport or PHONE, locale="ru-RU")
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
