"""Live quiz benchmark: one game of 2,000 players over real websockets, then a
class of 60, against a Daphne server on a scratch PostgreSQL database.

    .venv/bin/python bench/live_quiz.py --database-url postgres://postgres@127.0.0.1:5432/postgres

Creates the database `school_bench_quiz` (replacing an old one), migrates it, makes
a teacher, the players (already joined: joining by code is rate limited per
person and is not what is measured) and a signed-in session for each, starts
Daphne (`--redis-url` for the Redis channel layer; in-memory otherwise) and
plays each game: the host socket starts it and presses "next" after each reveal;
the server closes every question at its deadline. Players run in --workers
processes (python `websockets`, asyncio), each answering at a random moment in
the first 60 % of the time; --duplicates of them send their answer twice.

Prints, per game: answers accepted, refused and found in the database (each
answer must be recorded exactly once); close → results at every player p50/p99
(from the question's deadline in server time to the frame's arrival, same
clock); question broadcast p99 (from the server building the frame to its
arrival); answer → acknowledgement p50/p99. Not part of `make test`.
"""

import argparse
import asyncio
import json
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    BenchDatabase,
    load_average,
    require_postgres,
    url_with_database,
)

BENCH_DB = "school_bench_quiz"
ANSWER_WINDOW = 0.6  # players answer within this part of the time limit
# Daphne drops a handshake its application has not accepted within 5 s.
CONNECTS_AT_ONCE = 10


def _sessions(users) -> list[str]:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    engine = import_module(settings.SESSION_ENGINE)
    cookies = []
    for user in users:
        store = engine.SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "school.backends.LocalPasswordBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={store.session_key}")
    return cookies


def game_make(tag: str, players: int, questions: int, time_limit: int) -> dict:
    """A teacher's game with `players` pupils in it; their ids and cookies."""
    from django.contrib.auth.hashers import make_password

    from gamification.models import QuizPlayer
    from gamification.quiz.services import quiz_game_create
    from school.models import Role, User
    from school.services import user_roles_set_many

    unusable = make_password(None)
    teacher = User.objects.create(username=f"quiz-{tag}-teacher", password=unusable)
    pupils = User.objects.bulk_create(
        User(
            username=f"quiz-{tag}-{n}",
            first_name="P",
            last_name=str(n),
            password=unusable,
        )
        for n in range(players)
    )
    roles = {pupil.pk: {Role.PUPIL} for pupil in pupils}
    user_roles_set_many(roles_by_user={**roles, teacher.pk: {Role.TEACHER}})
    teacher = User.objects.get(pk=teacher.pk)
    game = quiz_game_create(
        host=teacher,
        title=f"bench {tag}",
        questions=[
            {
                "text": f"Q{n}",
                "choices": ["a", "b", "c", "d"],
                "correct": [n % 4],
                "time_limit": time_limit,
            }
            for n in range(questions)
        ],
    )
    QuizPlayer.objects.bulk_create(QuizPlayer(game=game, user=p) for p in pupils)
    return {
        "game": game.pk,
        "host": _sessions([teacher])[0],
        "players": _sessions(pupils),
    }


# --- The players (in worker processes)


def _seconds_since(iso: str, now: float) -> float:
    return now - datetime.fromisoformat(iso).timestamp()


async def _player(url, origin, cookie, stats, connected, rng, duplicate):
    from websockets.asyncio.client import connect

    sent: dict[int, float] = {}
    try:
        async with connected["gate"]:
            socket = await connect(
                url,
                origin=origin,
                additional_headers={"Cookie": cookie},
                open_timeout=120,
                ping_interval=None,
                max_size=2**22,
            )
            state = json.loads(await socket.recv())
        if state["type"] != "state":
            raise RuntimeError(f"no state frame: {state}")
        connected["count"] += 1
    finally:
        connected["tried"] += 1
        if connected["tried"] == connected["total"]:
            connected["all"].set()
    async with socket:
        tasks = set()

        async def answer(frame):
            await asyncio.sleep(rng.uniform(0.2, ANSWER_WINDOW * frame["time_limit"]))
            message = json.dumps(
                {
                    "type": "answer",
                    "question": frame["index"],
                    "choice": rng.randrange(len(frame["choices"])),
                }
            )
            sent[frame["index"]] = time.time()
            await socket.send(message)
            if duplicate:
                await socket.send(message)

        async for raw in socket:
            now = time.time()
            frame = json.loads(raw)
            kind = frame["type"]
            if kind == "question":
                stats["question"].append(_seconds_since(frame["server_now"], now))
                stats["closes"][frame["index"]] = frame["closes_at"]
                task = asyncio.create_task(answer(frame))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            elif kind == "ack":
                if frame["accepted"]:
                    stats["accepted"] += 1
                    stats["ack"].append(now - sent[frame["question"]])
                else:
                    reason = frame["reason"]
                    stats["refused"][reason] = stats["refused"].get(reason, 0) + 1
            elif kind == "results":
                closes = stats["closes"][frame["index"]]
                stats["results"].append(_seconds_since(closes, now))
                stats["own"] += "you" in frame
            elif kind == "podium":
                stats["podium"] += 1
                break


async def _players(url, origin, cookies, duplicates, seed, ready):
    rng = random.Random(seed)  # noqa: S311 (timings, not secrets)
    stats = {
        "question": [],
        "ack": [],
        "results": [],
        "closes": {},
        "accepted": 0,
        "refused": {},
        "own": 0,
        "podium": 0,
        "errors": 0,
    }
    connected = {
        "count": 0,
        "tried": 0,
        "total": len(cookies),
        "all": asyncio.Event(),
        "gate": asyncio.Semaphore(CONNECTS_AT_ONCE),
    }

    async def tell_ready():
        await connected["all"].wait()
        ready.put(("ready", connected["count"]))

    watcher = asyncio.create_task(tell_ready())
    results = await asyncio.gather(
        *(
            _player(
                url, origin, cookie, stats, connected, rng, rng.random() < duplicates
            )
            for cookie in cookies
        ),
        return_exceptions=True,
    )
    watcher.cancel()
    stats["errors"] = sum(isinstance(result, BaseException) for result in results)
    stats["first_error"] = next(
        (repr(r) for r in results if isinstance(r, BaseException)), None
    )
    del stats["closes"]
    return stats


def _worker(url, origin, cookies, duplicates, seed, ready, out):
    out.put(asyncio.run(_players(url, origin, cookies, duplicates, seed, ready)))


# --- The host (in this process)


async def _host(url, origin, cookie, ready, expected, workers) -> None:
    from websockets.asyncio.client import connect

    loop = asyncio.get_running_loop()
    have = 0
    for _ in range(workers):
        _kind, count = await loop.run_in_executor(None, ready.get)
        have += count
    if have != expected:
        print(f"  only {have} of {expected} players connected")
    async with connect(
        url, origin=origin, additional_headers={"Cookie": cookie}, ping_interval=None
    ) as socket:
        await socket.recv()  # the state
        await socket.send(json.dumps({"type": "start"}))
        async for raw in socket:
            frame = json.loads(raw)
            if frame["type"] == "results":
                await asyncio.sleep(2)  # the class looks at the chart
                await socket.send(json.dumps({"type": "next"}))
            elif frame["type"] == "podium":
                return


def _quantile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def game_play(port: int, made: dict, args, players: int) -> dict:
    url = f"ws://127.0.0.1:{port}/ws/quiz/{made['game']}/"
    origin = f"http://127.0.0.1:{port}"
    workers = max(1, min(args.workers, players // 100 or 1))
    chunks = [made["players"][n::workers] for n in range(workers)]
    ready, out = multiprocessing.Queue(), multiprocessing.Queue()
    processes = [
        multiprocessing.Process(
            target=_worker,
            args=(url, origin, chunk, args.duplicates, n, ready, out),
        )
        for n, chunk in enumerate(chunks)
    ]
    started = time.perf_counter()
    for process in processes:
        process.start()
    asyncio.run(_host(url, origin, made["host"], ready, players, workers))
    parts = [out.get(timeout=600) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    total = {
        "question": [],
        "ack": [],
        "results": [],
        "accepted": 0,
        "refused": {},
        "own": 0,
        "podium": 0,
        "errors": 0,
    }
    for part in parts:
        for key in ("question", "ack", "results"):
            total[key] += part[key]
        for key in ("accepted", "own", "podium", "errors"):
            total[key] += part[key]
        for reason, count in part["refused"].items():
            total["refused"][reason] = total["refused"].get(reason, 0) + count
        if part["first_error"]:
            print("  a player failed:", part["first_error"])
    total["seconds"] = time.perf_counter() - started
    return total


def stored_answers(game_id: int) -> tuple[int, int]:
    """Answers in the database, and (player, question) pairs among them."""
    from django.db.models import Count

    from gamification.models import QuizAnswer

    answers = QuizAnswer.objects.filter(player__game_id=game_id)
    pairs = answers.values("player", "question").annotate(n=Count("id"))
    return answers.count(), pairs.count()


def report(name: str, players: int, questions: int, total: dict, stored) -> None:
    count, pairs = stored
    exact = count == pairs == total["accepted"]
    print(
        f"\n{name}: {players} players × {questions} questions "
        f"({total['seconds']:.0f} s, load {load_average()})"
    )
    print(
        f"  answers accepted {total['accepted']}, refused {total['refused']}, "
        f"in the database {count} ({pairs} player-question pairs): "
        f"{'each recorded exactly once' if exact else 'MISMATCH'}"
    )
    print(
        f"  socket errors {total['errors']}; results frames with own place "
        f"{total['own']} of {players * questions}; podiums {total['podium']}"
    )
    for label, key in (
        ("close → results at the player", "results"),
        ("question broadcast", "question"),
        ("answer → ack", "ack"),
    ):
        values = total[key]
        print(
            f"  {label:<32} p50 {_quantile(values, 50):7.0f} ms   "
            f"p99 {_quantile(values, 99):7.0f} ms   max "
            f"{max(values, default=0) * 1000:7.0f} ms   (n={len(values)})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--players", type=int, default=2000)
    parser.add_argument("--class-size", type=int, default=60)
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--time-limit", type=int, default=15)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--duplicates", type=float, default=0.1)
    parser.add_argument("--conn-max-age", type=int, default=0)
    parser.add_argument("--drop", action="store_true")
    args = parser.parse_args()
    require_postgres(args.database_url)

    database = BenchDatabase(args.database_url, BENCH_DB)
    database.recreate()
    database.django_setup()
    from django.core.management import call_command

    from tests.integration import servers

    call_command("migrate", verbosity=0)
    games = [("class", args.class_size), ("big game", args.players)]
    made = {
        name: game_make(name.split()[0], size, args.questions, args.time_limit)
        for name, size in games
    }
    extra = {"DATABASE_URL": url_with_database(args.database_url, BENCH_DB)}
    if args.redis_url:
        extra["REDIS_URL"] = args.redis_url
    workdir = Path(tempfile.mkdtemp())
    if args.conn_max_age:
        # The project's settings close the database connection after every
        # database_sync_to_async call (conn_max_age=0); this measures keeping it.
        (workdir / "quiz_bench_settings.py").write_text(
            "from config.settings.test import *  # noqa: F403\n"
            f"DATABASES['default']['CONN_MAX_AGE'] = {args.conn_max_age}\n"
        )
        extra["DJANGO_SETTINGS_MODULE"] = "quiz_bench_settings"
        extra["PYTHONPATH"] = f"{workdir}:{ROOT}"
    log = workdir / "daphne.log"
    server = servers.daphne(servers.server_env(**extra), log).start()
    layer = "Redis" if args.redis_url else "in-memory"
    print(
        f"Daphne on port {server.port}, {layer} channel layer, "
        f"CONN_MAX_AGE {args.conn_max_age}, log {log}"
    )
    try:
        for name, size in games:
            total = game_play(server.port, made[name], args, size)
            report(
                name, size, args.questions, total, stored_answers(made[name]["game"])
            )
    finally:
        server.stop()
        if args.drop:
            database.drop()


if __name__ == "__main__":
    main()
