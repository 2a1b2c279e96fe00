"""The y-websocket wire protocol: parsing client frames and building server frames.

A frame is `varuint type` then, for sync, `varuint substep` and one length-prefixed
payload; for awareness, one length-prefixed payload. pycrdt provides the encoders;
parsing here is strict (no trailing bytes, no short payloads) so that garbage is
refused before it reaches the document.
"""

from dataclasses import dataclass
from enum import Enum

from pycrdt import (
    Decoder,
    Doc,
    YMessageType,
    YSyncMessageType,
    create_awareness_message,
    create_sync_message,
    create_update_message,
    write_message,
)

# Not in pycrdt's YMessageType: y-websocket's auth and query-awareness messages.
AUTH = 2
QUERY_AWARENESS = 3


class Kind(Enum):
    SYNC_STEP1 = "sync_step1"
    SYNC_STEP2 = "sync_step2"
    SYNC_UPDATE = "sync_update"
    AWARENESS = "awareness"
    AUTH = "auth"
    QUERY_AWARENESS = "query_awareness"


_SYNC_KINDS = {
    YSyncMessageType.SYNC_STEP1: Kind.SYNC_STEP1,
    YSyncMessageType.SYNC_STEP2: Kind.SYNC_STEP2,
    YSyncMessageType.SYNC_UPDATE: Kind.SYNC_UPDATE,
}


class ProtocolError(ValueError):
    """The bytes are not a y-websocket message (or carry a broken Yjs payload)."""


@dataclass(frozen=True)
class Message:
    kind: Kind
    payload: bytes = b""


def parse(frame: bytes) -> Message:
    """One client frame as a Message; raises ProtocolError for anything malformed."""
    decoder = Decoder(frame)
    try:
        message_type = decoder.read_var_uint()
        if message_type == YMessageType.SYNC:
            kind = _SYNC_KINDS.get(decoder.read_var_uint())
            payload = decoder.read_message()
        elif message_type == YMessageType.AWARENESS:
            kind, payload = Kind.AWARENESS, decoder.read_message()
        elif message_type == QUERY_AWARENESS:
            kind, payload = Kind.QUERY_AWARENESS, b""
        elif message_type == AUTH:
            kind, payload = Kind.AUTH, b""
            decoder.length = 0  # the payload is not ours to read
        else:
            kind = None
    except (IndexError, RuntimeError) as error:
        raise ProtocolError("truncated frame") from error
    if kind is None:
        raise ProtocolError("unknown message type")
    # A declared length past the end leaves `length` negative; extra bytes, positive.
    if payload is None or decoder.length != 0:
        raise ProtocolError("frame length does not match its content")
    return Message(kind, bytes(payload))


def sync_step1(doc: Doc) -> bytes:
    """The server's state vector: asks the client for what the server lacks."""
    return create_sync_message(doc)


def sync_step2(update: bytes) -> bytes:
    return bytes([YMessageType.SYNC, YSyncMessageType.SYNC_STEP2]) + write_message(
        update
    )


def update(update: bytes) -> bytes:
    return create_update_message(update)


def awareness(update: bytes) -> bytes:
    return create_awareness_message(update)


@dataclass(frozen=True)
class AwarenessEntry:
    client_id: int
    clock: int
    state_bytes: int  # the length of the JSON state
    removed: bool  # the state is JSON null: the client leaves


def awareness_entries(update: bytes) -> list[AwarenessEntry]:
    """The entries of an awareness update (y-protocols: count, then per client
    its id, clock and JSON state), read without applying it; ProtocolError for
    anything malformed."""
    decoder = Decoder(update)
    entries = []
    try:
        for _ in range(decoder.read_var_uint()):
            client_id = decoder.read_var_uint()
            clock = decoder.read_var_uint()
            state = decoder.read_message()
            if state is None:
                raise ProtocolError("truncated awareness state")
            entries.append(
                AwarenessEntry(client_id, clock, len(state), bytes(state) == b"null")
            )
    except (IndexError, RuntimeError) as error:
        raise ProtocolError("truncated awareness update") from error
    if decoder.length != 0:
        raise ProtocolError("awareness update length does not match its content")
    return entries
