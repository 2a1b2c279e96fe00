"""Library benchmark: 10,000 lesson pages in PostgreSQL, then page timings.

    .venv/bin/python bench/library.py --database-url postgres://postgres@127.0.0.1:5432/postgres

Creates the database `school_library_bench` on that server (replacing an old one
unless --reuse), migrates it, builds the library through Wagtail's own write path
(bench/library_data.py), then asks the library index, a search, a filtered search
and a lesson preview in-process with Django's test Client, printing p50/p95 server
time and query counts. --drop removes the database afterwards. Not part of `make test`.
"""

import argparse
import logging
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = "school_library_bench"
SEARCHES = ["дроби", "уравнения", "существительное", "клетки", "реформы", "воды"]


def _maintenance(url: str) -> str:
    url = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    return url.replace("postgres://", "postgresql://", 1)


def _admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(_maintenance(url), autocommit=True) as connection:
        connection.execute(statement)


def _exists(url: str) -> bool:
    import psycopg

    with psycopg.connect(_maintenance(url), autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]
        )
        return found.fetchone() is not None


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{BENCH_DB}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test Client's host in


def _load(lessons: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from bench.library_data import LibrarySize, library_build

    call_command("migrate", verbosity=0)
    logging.getLogger("wagtail").setLevel(logging.WARNING)  # a line per page
    started = time.perf_counter()

    def progress(done: int) -> None:
        print(f"  {done:,} lessons, {time.perf_counter() - started:.0f} s", flush=True)

    library_build(LibrarySize(lessons=lessons), progress=progress)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Built {lessons:,} lessons in {time.perf_counter() - started:.0f} s")


def _teacher():
    from school.models import Role, User
    from school.services import user_roles_set

    teacher, created = User.objects.get_or_create(username="bench-library-reader")
    if created:
        user_roles_set(user=teacher, roles=[Role.TEACHER])
    return teacher


def _plans(count: int, rng) -> dict[str, list[str]]:
    from lessons.models import LessonPage
    from school.models import Subject

    subjects = list(Subject.objects.filter(code__startswith="bench-"))
    ids = list(LessonPage.objects.live().values_list("pk", flat=True))
    pages = max(1, len(ids) // 20)
    return {
        "index": [f"/library/?page={rng.randint(1, pages)}" for _ in range(count)],
        "search": [f"/library/?q={rng.choice(SEARCHES)}" for _ in range(count)],
        "filtered search": [
            f"/library/?q={rng.choice(SEARCHES)}&subject={rng.choice(subjects).pk}"
            f"&grade={rng.randint(1, 11)}"
            for _ in range(count)
        ],
        "lesson preview": [
            f"/library/lessons/{rng.choice(ids)}/" for _ in range(count)
        ],
    }


def _measure(name: str, urls: list[str], warmup: int, client) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], []
    for index, url in enumerate(urls):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{name}: {url} answered {response.status_code}")
        if index >= warmup:
            times.append(elapsed * 1000)
            queries.append(len(captured))
    cuts = statistics.quantiles(times, n=100)
    return {
        "page": name,
        "requests": len(times),
        "p50": statistics.median(times),
        "p95": cuts[94],
        "max": max(times),
        "queries": f"{min(queries)}–{max(queries)}",
    }


def _print(rows: list[dict]) -> None:
    header = (
        f"{'page':<18} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
        f"{'queries':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['page']:<18} {row['requests']:>5} {row['p50']:>8.1f} "
            f"{row['p95']:>8.1f} {row['max']:>8.1f} {row['queries']:>8}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL server")
    parser.add_argument("--lessons", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200, help="per page")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="keep a built library")
    parser.add_argument("--drop", action="store_true", help="drop it at the end")
    args = parser.parse_args()
    if not urlsplit(args.database_url).scheme.startswith(("postgres", "pgsql")):
        raise SystemExit(
            "The benchmark needs PostgreSQL (--database-url postgres://…)."
        )
    reuse = args.reuse and _exists(args.database_url)
    if not reuse:
        _admin(args.database_url, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        _admin(args.database_url, f'CREATE DATABASE "{BENCH_DB}"')
    try:
        _setup_django(args.database_url)
        if not reuse:
            _load(args.lessons)
        from django.test import Client

        client = Client()
        client.force_login(_teacher(), backend="school.backends.LocalPasswordBackend")
        rng = random.Random(7)  # noqa: S311 the same sample each run
        plans = _plans(args.requests + args.warmup, rng)
        print(f"Load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        _print([_measure(n, urls, args.warmup, client) for n, urls in plans.items()])
        print(f"Load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        if args.drop:
            from django.db import connections

            connections.close_all()
            _admin(
                args.database_url, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'
            )


if __name__ == "__main__":
    main()
