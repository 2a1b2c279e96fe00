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
import random
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

BENCH_DB = "school_library_bench"
SEARCHES = ["дроби", "уравнения", "существительное", "клетки", "реформы", "воды"]


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
    times, queries = [], []
    for index, url in enumerate(urls):
        elapsed, count = timed_get(client, url)
        if index >= warmup:
            times.append(elapsed)
            queries.append(count)
    return summary(name, times, queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL server")
    parser.add_argument("--lessons", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200, help="per page")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="keep a built library")
    parser.add_argument("--drop", action="store_true", help="drop it at the end")
    args = parser.parse_args()
    require_postgres(args.database_url)
    database = BenchDatabase(args.database_url, BENCH_DB)
    reuse = args.reuse and database.exists()
    if not reuse:
        database.recreate()
    try:
        database.django_setup()
        if not reuse:
            _load(args.lessons)
        from django.test import Client

        client = Client()
        client.force_login(_teacher(), backend="school.backends.LocalPasswordBackend")
        rng = random.Random(7)  # noqa: S311 the same sample each run
        plans = _plans(args.requests + args.warmup, rng)
        print(f"Load average before: {load_average()}")
        table_print(
            [_measure(n, urls, args.warmup, client) for n, urls in plans.items()]
        )
        print(f"Load average after: {load_average()}")
    finally:
        if args.drop:
            database.drop()


if __name__ == "__main__":
    main()
