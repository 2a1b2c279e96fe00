"""Whiteboard sync benchmark: our server against the reference y-websocket server,
Hocuspocus and a raw relay, on the same load, in the same run.

    npm ci --prefix bench/whiteboard --ignore-scripts      # once
    .venv/bin/python bench/whiteboard/run.py [--quick] [--database-url postgres://…]
                                             [--redis-url redis://…] [--servers …]

Migrates a scratch database (a SQLite file in a temporary folder, or the database
`school_whiteboard_bench` on the PostgreSQL server of --database-url), then for each
server builds a school of its own with a signed-in session per person, starts the
server on a free port (ours: Daphne with the production settings and the in-memory
channel layer unless --redis-url; ours-uvicorn: the same application under Uvicorn)
and runs bench/whiteboard/harness.mjs against it: memory per idle socket,
convergence (20 editors × 200 edits), the cost of one join into a room of 30, and
fan-out (1,000 sockets in 33 rooms, a drawer per room sending 10 updates a second).
Prints two tables (docs/performance.md, "Whiteboard sync", says what they mean).
--quick is a smoke run with small numbers. Not part of `make test`.
"""

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.harness import BenchDatabase, load_average, url_with_database  # noqa: E402

HERE = Path(__file__).resolve().parent
PYTHON = Path(sys.executable)
NODE = shutil.which("node") or "node"
BENCH_DB = "school_whiteboard_bench"
SERVERS = ("ours", "ours-uvicorn", "reference", "hocuspocus", "relay")
SCENARIOS = ("memory", "converge", "join", "fanout")
START_DEADLINE = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
        return True
    return False


class Process:
    """A server in its own process group, logging to a file; stopped by its pid."""

    def __init__(self, name: str, command: list[str], env: dict, logs: Path):
        self.name, self.command, self.env = name, command, env
        self.port = free_port()
        self.log_path = logs / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "Process":
        port = str(self.port)
        command = [part.replace("{port}", port) for part in self.command]
        env = {key: value.replace("{port}", port) for key, value in self.env.items()}
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_DEADLINE
        while not _listening(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = self.log_path.read_text(errors="replace")[-3000:]
                raise SystemExit(f"{self.name} did not start:\n{tail}")
            time.sleep(0.2)
        return self

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)


def django_env(args, scratch: Path) -> dict[str, str]:
    """The environment of our server and of this process's Django (same secrets)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": args.settings,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "BADGE_KEYS_SECRET": secrets.token_urlsafe(48),
        "OIDC_OP_ISSUER": "https://id.example.invalid",
        "OIDC_RP_CLIENT_ID": "whiteboard-bench",
        "OIDC_RP_CLIENT_SECRET": secrets.token_urlsafe(24),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "VAR_DIR": str(scratch / "var"),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = url_with_database(args.database_url, BENCH_DB)
    else:
        env["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
        env["CHANNEL_PREFIX"] = f"wbbench{secrets.token_hex(4)}"
    return env


def migrate(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    connections.close_all()
    print(f"Database migrated in {time.perf_counter() - started:.0f} s", flush=True)


def rooms_build(sizes, tag: str) -> dict:
    """A school of its own for one server (ours stores what the last one drew)."""
    from django.db import connections

    from bench.whiteboard.city import city_build

    rooms = city_build(sizes, tag)
    connections.close_all()  # SQLite: the server writes next
    return rooms


def servers(env: dict[str, str], logs: Path, app: str) -> dict[str, Process]:
    daphne = str(PYTHON.parent / "daphne")
    uvicorn = str(PYTHON.parent / "uvicorn")
    node_env = {**os.environ, "HOST": "127.0.0.1", "PORT": "{port}"}
    reference = "bench/whiteboard/node_modules/@y/websocket-server/src/server.js"
    return {
        "ours": Process(
            "ours", [daphne, "-b", "127.0.0.1", "-p", "{port}", app], env, logs
        ),
        # The same application under Uvicorn, which production runs (one worker).
        "ours-uvicorn": Process(
            "ours-uvicorn",
            [uvicorn, app, "--host", "127.0.0.1"]
            + ["--port", "{port}", "--lifespan", "off", "--no-access-log"],
            env,
            logs,
        ),
        "reference": Process("reference", [NODE, reference], node_env, logs),
        "hocuspocus": Process(
            "hocuspocus",
            [NODE, "bench/whiteboard/hocuspocus_server.mjs", "{port}"],
            dict(os.environ),
            logs,
        ),
        "relay": Process(
            "relay",
            [str(PYTHON), "bench/whiteboard/raw_relay.py", "--port", "{port}"],
            dict(os.environ),
            logs,
        ),
    }


def plan_for(name: str, server: Process, rooms: dict, sizes, args) -> dict:
    base = f"ws://127.0.0.1:{server.port}"
    kind = "ours" if name.startswith("ours") else name
    fanout_rooms = rooms["fanout"]["rooms"]
    return {
        "server": {
            "name": name,
            "kind": kind,
            "url": f"{base}/ws/board" if name.startswith("ours") else base,
            "origin": f"http://127.0.0.1:{server.port}",
            "pid": server.pid,
        },
        # Memory first, on a fresh process: freed memory of earlier scenarios
        # would be reused by the idle sockets and hide their cost.
        "scenarios": [s for s in SCENARIOS if s in args.scenarios],
        "clock_ticks": os.sysconf("SC_CLK_TCK"),
        "wait_seconds": 180,
        "converge_wait_seconds": 60 if args.quick else 180,
        "drain_seconds": 10,
        "quiet_ms": 1000,
        "pause_seconds": 2,
        "memory": {"rooms": fanout_rooms, "sockets": sizes.idle_sockets},
        "converge": {**rooms["converge"], "edits": sizes.edits},
        "join": {**rooms["join"], "elements": sizes.join_elements},
        "fanout": {
            "rooms": fanout_rooms,
            "rate": sizes.rate,
            "seconds": sizes.seconds,
            "warmup_seconds": 2,
        },
    }


def measure(name: str, server: Process, plan: dict, scratch: Path) -> dict:
    plan_path = scratch / f"plan-{name}.json"
    plan_path.write_text(json.dumps(plan))
    print(f"\n== {name} (pid {server.pid}, load average {load_average()})", flush=True)
    done = subprocess.run(  # noqa: S603
        [NODE, str(HERE / "harness.mjs"), str(plan_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"The harness failed against {name} ({done.returncode}).")
    result = json.loads(lines[-1].removeprefix("RESULT "))
    result["load_after"] = load_average()
    return result


# --- The table


def _cell(result: dict, scenario: str, shape) -> str:
    figures = result.get(scenario)
    if figures is None:
        return "–"
    if "error" in figures:
        return "failed"
    return shape(figures)


def _converge(f: dict) -> str:
    if not f["converged"]:
        return f"no ({f['fewest_elements']}/{f['expected_elements']})"
    return f"{f['seconds']:.2f}"


def _join(f: dict) -> str:
    total, joiner = f["total"], f["to_joiner"]
    return f"{total['sync']}+{total['awareness']}+{total['other']} ({joiner['frames']})"


def _ms(key: str):
    return lambda r: _cell(r, "fanout", lambda f: f"{f[key]:,.1f}")


def _share(scenario: str, key: str):
    return lambda r: _cell(r, scenario, lambda f: f"{100 * f[key]:.0f}")


def _percent(f: dict) -> str:
    return f"{100 * f['delivered'] / f['expected']:.1f}" if f["expected"] else "–"


FIGURES = [
    ("server", lambda r: r["server"]),
    ("converge s", lambda r: _cell(r, "converge", _converge)),
    ("join msgs s+a+o (joiner)", lambda r: _cell(r, "join", _join)),
    (
        "join KB",
        lambda r: _cell(r, "join", lambda f: f"{f['total']['bytes'] / 1024:.0f}"),
    ),
    ("p50 ms", _ms("p50_ms")),
    ("p99 ms", _ms("p99_ms")),
    (
        "deliveries/s",
        lambda r: _cell(r, "fanout", lambda f: f"{f['deliveries_per_second']:,.0f}"),
    ),
    (
        "KB/idle socket",
        lambda r: _cell(r, "memory", lambda f: f"{f['kb_per_socket']:.1f}"),
    ),
]
CONTEXT = [
    ("server", lambda r: r["server"]),
    (
        "converge cpu% srv/cli",
        lambda r: _cell(
            r,
            "converge",
            lambda f: f"{100 * f['server_cpu']:.0f}/{100 * f['client_cpu']:.0f}",
        ),
    ),
    ("delivered %", lambda r: _cell(r, "fanout", _percent)),
    ("duplicates", lambda r: _cell(r, "fanout", lambda f: f"{f['duplicates']:,}")),
    (
        "fan-out cpu% srv/cli",
        lambda r: _cell(
            r,
            "fanout",
            lambda f: f"{100 * f['server_cpu']:.0f}/{100 * f['client_cpu']:.0f}",
        ),
    ),
    ("srv waiting %", _share("fanout", "server_waiting")),
    (
        "connects/s",
        lambda r: _cell(r, "memory", lambda f: f"{f['connects_per_second']:.0f}"),
    ),
    ("load after", lambda r: r.get("load_after", "–").split(" ")[0]),
]


def table_print(results: list[dict], columns=FIGURES) -> None:
    rows = [[shape(result) for _, shape in columns] for result in results]
    widths = [
        max(len(title), *(len(row[i]) for row in rows))
        for i, (title, _) in enumerate(columns)
    ]
    print(" | ".join(t.ljust(w) for (t, _), w in zip(columns, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def report_print(results: list[dict]) -> None:
    table_print(results, FIGURES)
    print()
    table_print(results, CONTEXT)
    for result in results:
        for scenario in SCENARIOS:
            if "error" in result.get(scenario, {}):
                print(f"{result['server']} {scenario}: {result[scenario]['error']}")


def main() -> None:
    from bench.whiteboard.sizes import QUICK, Sizes

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    parser.add_argument("--database-url", help="PostgreSQL instead of SQLite")
    parser.add_argument("--redis-url", help="the Redis pub/sub channel layer")
    parser.add_argument("--settings", default="config.settings.production")
    parser.add_argument(
        "--app",
        default="config.asgi:application",
        help="our ASGI application (to measure a variant)",
    )
    parser.add_argument("--servers", nargs="+", choices=SERVERS, default=SERVERS)
    parser.add_argument("--scenarios", nargs="+", choices=SCENARIOS, default=SCENARIOS)
    parser.add_argument(
        "--size",
        action="append",
        default=[],
        metavar="NAME=N",
        help="override one of the sizes (bench/whiteboard/sizes.py), e.g. sockets=300",
    )
    parser.add_argument("--keep", action="store_true", help="keep logs and database")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--show", type=Path, help="print the tables of a --json file")
    args = parser.parse_args()
    if args.show:
        report_print(json.loads(args.show.read_text()))
        return
    if not (HERE / "node_modules" / "@hocuspocus" / "server").exists():
        raise SystemExit(
            "Run `npm ci --prefix bench/whiteboard --ignore-scripts` first."
        )
    sizes = QUICK if args.quick else Sizes()
    for override in args.size:
        name, _, value = override.partition("=")
        if name not in Sizes.__dataclass_fields__ or not value.isdigit():
            raise SystemExit(
                f"--size {override}: expected NAME=N, NAME a field of Sizes"
            )
        sizes = replace(sizes, **{name: int(value)})
    scratch = Path(tempfile.mkdtemp(prefix="whiteboard-bench-"))
    database = BenchDatabase(args.database_url, BENCH_DB) if args.database_url else None
    if database:
        database.recreate()
    env = django_env(args, scratch)
    results = []
    try:
        migrate(env)
        print(f"Sizes: {json.dumps(asdict(sizes))}", flush=True)
        started = time.perf_counter()
        print(f"Load average before: {load_average()}", flush=True)
        for name, server in servers(env, scratch, args.app).items():
            if name not in args.servers:
                continue
            rooms = rooms_build(sizes, name)
            server.start()
            try:
                plan = plan_for(name, server, rooms, sizes, args)
                results.append(measure(name, server, plan, scratch))
            finally:
                server.stop()
        print(f"\nLoad average after: {load_average()}")
        elapsed = time.perf_counter() - started
        print(f"Measured in {elapsed:.0f} s on {os.cpu_count()} cores")
        report_print(results)
        if args.json:
            args.json.write_text(json.dumps(results, indent=1))
    finally:
        if args.keep:
            print(f"Logs and database kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
            if database:
                database.drop()


if __name__ == "__main__":
    main()
