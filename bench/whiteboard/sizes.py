"""How big the whiteboard benchmark is: the issue's numbers, and --quick's."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    editors: int = 20  # convergence: clients, each making `edits` edits
    edits: int = 200
    join_room: int = 30  # sockets in the room before one more joins
    join_elements: int = 200  # strokes already on that board
    sockets: int = 1000  # fan-out: sockets over `rooms` rooms, one drawer each
    rooms: int = 33
    rate: int = 10  # updates a second per drawer
    seconds: int = 20
    idle_sockets: int = 500  # memory: idle sockets opened in the fan-out rooms


QUICK = Sizes(
    editors=4,
    edits=50,
    join_room=5,
    join_elements=50,
    sockets=100,
    rooms=4,
    seconds=5,
    idle_sockets=50,
)
