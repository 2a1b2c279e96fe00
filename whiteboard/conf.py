"""Tunables of the live whiteboard, read from settings at use time (tests override)."""

from django.conf import settings

DEFAULTS = {
    # Pending edits are written at least this often: "at most a few seconds unsaved".
    "WHITEBOARD_FLUSH_SECONDS": 1.0,
    # A room's log is merged into a snapshot once it holds more updates than this.
    "WHITEBOARD_COMPACT_AFTER": 500,
    # How long an empty room stays in memory, in case someone reconnects.
    "WHITEBOARD_IDLE_SECONDS": 30.0,
    # Each room pings the channel layer this often; a ping that has not come back by
    # the next one means the layer was lost.
    "WHITEBOARD_HEARTBEAT_SECONDS": 5.0,
    # Per-socket token bucket: sustained messages per second, and the burst.
    "WHITEBOARD_RATE_PER_SECOND": 60.0,
    "WHITEBOARD_RATE_BURST": 200,
    # A live-lesson socket marks its person as still there this often; a presence
    # not marked for three intervals (its process died) no longer counts.
    "WHITEBOARD_PRESENCE_SECONDS": 30.0,
    # Presence (cursors, names): a socket may introduce this many awareness client
    # ids (one per browser tab, a few more across reconnects), each state at most
    # this big (a cursor, a name and the ids of the selected elements).
    "WHITEBOARD_AWARENESS_IDS_PER_SOCKET": 4,
    "WHITEBOARD_AWARENESS_STATE_BYTES": 8 * 1024,
    # Daphne drops bigger frames itself; this catches them on other servers.
    "WHITEBOARD_MAX_FRAME_BYTES": 1024 * 1024,
    # Pictures on a board (whiteboard.images): the biggest upload, the longest side
    # kept after re-encoding, and how many pictures one board may hold.
    "WHITEBOARD_IMAGE_MAX_BYTES": 10 * 1024 * 1024,
    "WHITEBOARD_IMAGE_MAX_SIDE": 2560,
    "WHITEBOARD_IMAGES_PER_BOARD": 300,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
