"""Diary benchmark: a city-sized journal in PostgreSQL, then page timings.

    .venv/bin/python bench/diary.py --database-url postgres://postgres@127.0.0.1:5432/postgres

Creates the database `school_bench` on that server (replacing an old one unless
--reuse), migrates it, loads the city (bench/diary_data.py), then requests pages
in-process with Django's test Client and prints p50/p95 server time and query
counts. --drop removes the database afterwards. Not part of `make test`.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    BenchDatabase,
    load_average,
    require_postgres,
    summary,
    table_print,
    timed_get,
)

BENCH_DB = "school_bench"


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
    from django.test import Client

    from school.models import User

    times, queries = [], []
    users = User.objects.in_bulk({user for user, _url in requests})
    for index, (user, url) in enumerate(requests):
        client = Client()
        client.force_login(users[user], backend="school.backends.LocalPasswordBackend")
        elapsed, count = timed_get(client, url)
        if index >= warmup:
            times.append(elapsed)
            queries.append(count)
    return summary(name, times, queries)


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
    require_postgres(args.database_url)
    database = BenchDatabase(args.database_url, BENCH_DB)
    reuse = args.reuse and database.exists()
    if not reuse:
        database.recreate()
    try:
        database.django_setup()
        city = _existing_city() if reuse else _load(args)
        import random

        rng = random.Random(7)  # noqa: S311 the same sample each run
        plans = _plans(city, args.requests + args.warmup, rng)
        print(f"Load average before: {load_average()}")
        table_print([_measure(name, plan, args.warmup) for name, plan in plans.items()])
        print(f"Load average after: {load_average()}")
    finally:
        if args.drop:
            database.drop()


if __name__ == "__main__":
    main()
