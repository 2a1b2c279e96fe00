"""The ceiling of the whiteboard benchmark: a websocket relay that knows nothing.

Rooms are URL paths; every binary frame is written to the other sockets of its
room, and nothing else happens (no document, no authentication, no storage).
Whatever a real server does on top costs time against this.

    .venv/bin/python bench/whiteboard/raw_relay.py --port 1235
"""

import argparse
import asyncio
import signal
from collections import defaultdict

from websockets import broadcast
from websockets.asyncio.server import ServerConnection, serve

rooms: dict[str, set[ServerConnection]] = defaultdict(set)


async def relay(connection: ServerConnection) -> None:
    path = connection.request.path.split("?")[0]
    room = rooms[path]
    room.add(connection)
    try:
        async for frame in connection:
            if isinstance(frame, bytes):
                # broadcast() writes without waiting for slow readers: the ceiling.
                broadcast(room - {connection}, frame)
    finally:
        room.discard(connection)
        if not room:
            rooms.pop(path, None)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    stop = asyncio.get_running_loop().create_future()
    for signum in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set_result, None)
    async with serve(relay, args.host, args.port, max_size=None, compression=None):
        print(f"relay listening on {args.host}:{args.port}", flush=True)
        await stop


if __name__ == "__main__":
    asyncio.run(main())
