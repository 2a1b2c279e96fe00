"""Diary benchmark: a city-sized journal in PostgreSQL, then page timings.

    .venv/bin/python bench/diary.py --database-url postgres://postgres@127.0.0.1:5432/postgres

Creates the database `school_bench` on that server (replacing an old one unless
--reuse), migrates it, loads the city (bench/diary_data.py), then requests pages
in-process with Django's test Client and prints p50/p95 server time and query
counts. --drop removes the database afterwards. Not part of `make test`.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = "school_bench"


def _url_with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _admin(url: str, statement: str) -> None:
    import psycopg

    maintenance = _url_with_database(url, "postgres").replace(
        "postgres://", "postgresql://", 1
    )
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(statement)


def _exists(url: str) -> bool:
    import psycopg

    maintenance = _url_with_database(url, "postgres").replace(
        "postgres://", "postgresql://", 1
    )
    with psycopg.connect(maintenance, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]
        )
        return found.fetchone() is not None


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = _url_with_database(url, BENCH_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test Client's host in


def _load(args) -> "object":
    from django.core.management import call_command
    from django.db import connection

    from bench.diary_data import CitySize, city_build

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    city = city_build(CitySize(pupils=args.pupils, marks=args.marks))
    loaded = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Loaded in {loaded:.0f} s: " + ", ".join(
        f"{count:,} {name}" for name, count in city.counts.items()
    ))  # fmt: skip
    return city


def _existing_city():
    """Handles on a city loaded by an earlier run (--reuse)."""
    from bench.diary_data import City
    from school.models import Gradebook, Guardianship, Role, TeachingAssignment, User

    children: dict[int, list[int]] = {}
    links = Guardianship.objects.filter(parent__username__contains="-parent-")
    for parent, pupil in links.values_list("parent_id", "pupil_id").iterator():
        children.setdefault(parent, []).append(pupil)
    terms = dict(Gradebook.objects.values_list("class_group_id", "term_id"))
    assignments = TeachingAssignment.objects.filter(class_group_id__in=list(terms))
    gradebooks = [
        (klass, subject, terms[klass], teacher)
        for klass, subject, teacher in assignments.values_list(
            "class_group_id", "subject_id", "teacher_id"
        )
    ]
    pupils = User.objects.filter(role_grants__role=Role.PUPIL)
    return City(
        term_id=0,
        monday=None,
        parents=[parent for parent, kids in children.items() if len(kids) == 2],
        pupils=list(pupils.values_list("pk", flat=True)),
        children=children,
        gradebooks=gradebooks,
    )


def _measure(name: str, requests: list[tuple[int, str]], warmup: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from school.models import User

    times, queries = [], []
    users = User.objects.in_bulk({user for user, _url in requests})
    for index, (user, url) in enumerate(requests):
        client = Client()
        client.force_login(users[user], backend="school.backends.LocalPasswordBackend")
        # The query log keeps 9,000 entries; a full one would make the count 0.
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


def _plans(city, count: int, rng) -> dict[str, list[tuple[int, str]]]:
    parents = rng.sample(city.parents, min(count, len(city.parents)))
    pupils = rng.sample(city.pupils, min(count, len(city.pupils)))
    books = rng.sample(city.gradebooks, min(count, len(city.gradebooks)))
    return {
        "parent diary (week)": [
            (p, f"/diary/{rng.choice(city.children[p])}/") for p in parents
        ],
        "parent diary (summary)": [
            (p, f"/diary/{rng.choice(city.children[p])}/summary/") for p in parents
        ],
        "pupil week": [(p, f"/diary/{p}/") for p in pupils],
        "teacher gradebook": [
            (teacher, f"/gradebook/{klass}/{subject}/{term}/")
            for klass, subject, term, teacher in books
        ],
    }


def _print(rows: list[dict]) -> None:
    header = (
        f"{'page':<24} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
        f"{'queries':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['page']:<24} {row['requests']:>5} {row['p50']:>8.1f} "
            f"{row['p95']:>8.1f} {row['max']:>8.1f} {row['queries']:>8}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL server")
    parser.add_argument("--pupils", type=int, default=20_000)
    parser.add_argument("--marks", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300, help="per page")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="keep a loaded city")
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
        city = _existing_city() if reuse else _load(args)
        import random

        rng = random.Random(7)  # noqa: S311 the same sample each run
        plans = _plans(city, args.requests + args.warmup, rng)
        print(f"Load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        _print([_measure(name, plan, args.warmup) for name, plan in plans.items()])
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
