"""What the benchmarks share: a scratch PostgreSQL database, Django set up on it,
timing a request in-process with its query count, and the printed table."""

import os
import statistics
import time
from urllib.parse import urlsplit, urlunsplit


def url_with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def require_postgres(url: str) -> None:
    if not urlsplit(url).scheme.startswith(("postgres", "pgsql")):
        raise SystemExit(
            "The benchmark needs PostgreSQL (--database-url postgres://…)."
        )


class BenchDatabase:
    """A database `name` on the server of `url`, made and dropped through the
    server's maintenance database."""

    def __init__(self, url: str, name: str):
        self.url, self.name = url, name

    def _admin(self, statement: str, params=()):
        import psycopg

        maintenance = url_with_database(self.url, "postgres").replace(
            "postgres://", "postgresql://", 1
        )
        with psycopg.connect(maintenance, autocommit=True) as connection:
            cursor = connection.execute(statement, params)
            return cursor.fetchall() if cursor.description else []

    def exists(self) -> bool:
        found = self._admin("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
        return bool(found)

    def recreate(self) -> None:
        self.drop()
        self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        from django.conf import settings

        if settings.configured:
            from django.db import connections

            connections.close_all()
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def django_setup(self) -> None:
        """Django on this database with the test settings (no Redis)."""
        os.environ["DATABASE_URL"] = url_with_database(self.url, self.name)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        os.environ.pop("REDIS_URL", None)
        import django

        django.setup()
        from django.test.utils import setup_test_environment

        setup_test_environment()  # lets the test Client's host in


def timed_get(client, url: str) -> tuple[float, int]:
    """Milliseconds and queries of one GET; exits unless it answers 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The query log keeps 9,000 entries; a full one would make the count 0.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed * 1000, len(captured)


def summary(page: str, times: list[float], queries: list[int]) -> dict:
    cuts = statistics.quantiles(times, n=100)
    return {
        "page": page,
        "requests": len(times),
        "p50": statistics.median(times),
        "p95": cuts[94],
        "max": max(times),
        "queries": f"{min(queries)}–{max(queries)}",
    }


def table_print(rows: list[dict]) -> None:
    width = max(len(row["page"]) for row in rows)
    header = (
        f"{'page':<{width}} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
        f"{'queries':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['page']:<{width}} {row['requests']:>5} {row['p50']:>8.1f} "
            f"{row['p95']:>8.1f} {row['max']:>8.1f} {row['queries']:>8}"
        )


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())
