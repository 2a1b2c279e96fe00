"""Open sockets lose what their person loses.

A socket checks access when it connects; afterwards a guardianship, enrolment,
teaching assignment, role, account or session may change (school.access_changes
announces each after commit, through the channel layer, to every process). Each
process keeps one channel, the watch, subscribed to the groups of the people
who have a socket open there; on an announcement it asks each of their sockets
to check again, and a socket whose person no longer passes closes with 4403.

One channel per process rather than per socket: board sockets have none of
their own (whiteboard.consumers), and a person's group is joined once however
many tabs they keep open.
"""

import asyncio
import contextlib
import logging
import random
from importlib import import_module
from typing import Protocol

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import SESSION_KEY

from school.access import is_signed_in
from school.models import User

logger = logging.getLogger("school.socket_access")

ACCESS_LOST = 4403
EVERYONE_GROUP = "access.everyone"
# An announcement for everyone (a roster import) is spread over this many
# seconds so that every socket of a process does not hit the database at once.
EVERYONE_SPREAD_SECONDS = 1.5
RETRY_SECONDS = 1.0


def access_group_name(user_id: int) -> str:
    return f"access.{user_id}"


class WatchedSocket(Protocol):
    async def access_recheck(self, ended_sessions: frozenset[str] = ...) -> None: ...


class AccessWatch:
    """This process's sockets by person, and the channel that hears for them."""

    def __init__(self) -> None:
        self.sockets: dict[int, set[WatchedSocket]] = {}
        self.layer = None
        self.channel: str | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.task: asyncio.Task | None = None
        self.lock: asyncio.Lock | None = None
        # Tasks are kept referenced until they finish (asyncio holds them weakly).
        self.rechecks: set[asyncio.Task] = set()

    async def watch(self, user_id: int, socket: WatchedSocket) -> None:
        await self._started()
        async with self.lock:
            people = self.sockets.setdefault(user_id, set())
            if not people and self.channel is not None:
                await self.layer.group_add(access_group_name(user_id), self.channel)
            people.add(socket)

    async def unwatch(self, user_id: int, socket: WatchedSocket) -> None:
        people = self.sockets.get(user_id)
        if people is None or socket not in people:
            return
        people.discard(socket)
        if not people:
            del self.sockets[user_id]
            if self.channel is not None and self._current():
                with contextlib.suppress(Exception):
                    await self.layer.group_discard(
                        access_group_name(user_id), self.channel
                    )

    def _current(self) -> bool:
        # Tests run each case on a new event loop and may swap the layer.
        return (
            self.loop is asyncio.get_running_loop()
            and self.layer is get_channel_layer()
            and self.task is not None
            and not self.task.done()
        )

    async def _started(self) -> None:
        if self._current():
            return
        self.loop, self.layer = asyncio.get_running_loop(), get_channel_layer()
        self.lock = asyncio.Lock()
        self.sockets, self.channel = {}, None
        if self.layer is None:
            return
        await self._subscribe()
        self.task = asyncio.create_task(self._listen())

    async def _subscribe(self) -> None:
        self.channel = await self.layer.new_channel()
        await self.layer.group_add(EVERYONE_GROUP, self.channel)
        for user_id in list(self.sockets):
            await self.layer.group_add(access_group_name(user_id), self.channel)

    async def _listen(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                # The layer went away (Redis restarting): subscribe again and
                # have everyone here check, since announcements may be lost.
                logger.exception("The access watch lost the channel layer")
                await asyncio.sleep(RETRY_SECONDS)
                with contextlib.suppress(Exception):
                    await self._subscribe()
                    self._recheck_everyone()
                continue
            self._hear(message)

    def _hear(self, message: dict) -> None:
        if message.get("type") != "access.changed":
            return
        user_id = message.get("user_id")
        if user_id is None:
            self._recheck_everyone()
            return
        ended = frozenset(message.get("ended_sessions") or ())
        for socket in list(self.sockets.get(user_id, ())):
            self._run(socket.access_recheck(ended))

    def _recheck_everyone(self) -> None:
        for people in list(self.sockets.values()):
            for socket in list(people):
                delay = random.uniform(0, EVERYONE_SPREAD_SECONDS)  # nosec B311  # noqa: S311 - timing jitter
                self._run(_recheck_later(delay, socket))

    def _run(self, coroutine) -> None:
        task = asyncio.create_task(coroutine)
        self.rechecks.add(task)
        task.add_done_callback(self.rechecks.discard)


async def _recheck_later(delay: float, socket: WatchedSocket) -> None:
    await asyncio.sleep(delay)
    await socket.access_recheck()


watch = AccessWatch()


def session_holds(scope, user: User) -> bool:
    """The socket's session still signs this person in (logout and back-channel
    logout delete it). A socket opened without a session has none to lose."""
    session = scope.get("session")
    key = getattr(session, "session_key", None)
    if not key:
        return True
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    return store.get(SESSION_KEY) == str(user.pk)


class AccessCheckedSocket:
    """Consumer mixin: after `access_watch_start`, the socket closes with 4403 as
    soon as its person is signed out, deactivated or fails `still_allowed`.

    `still_allowed(user)` runs in a database thread with the person loaded
    afresh; consumers give their connect rule again there.
    """

    access_user_id: int | None = None

    def still_allowed(self, user: User) -> bool:
        return True

    async def access_watch_start(self, user: User) -> None:
        """Call once the socket is accepted. Checks once more after subscribing:
        a change committed between the connect check and the subscription was
        announced to nobody here, but the database already shows it."""
        self.access_user_id = user.pk
        await watch.watch(user.pk, self)
        await self.access_recheck()

    async def access_watch_stop(self) -> None:
        if self.access_user_id is not None:
            await watch.unwatch(self.access_user_id, self)

    async def access_recheck(self, ended_sessions: frozenset[str] = frozenset()):
        if self.access_user_id is None:
            return
        session = self.scope.get("session")
        if getattr(session, "session_key", None) in ended_sessions:
            await self.access_lost()
            return
        try:
            holds = await database_sync_to_async(self._access_holds)()
        except Exception:
            logger.exception("Could not re-check a socket of %s", self.access_user_id)
            return
        if not holds and self.access_user_id is not None:
            await self.access_lost()

    def _access_holds(self) -> bool:
        # The socket's own person, loaded afresh to see what changed.
        user = User.objects.filter(pk=self.access_user_id).first()  # nosemgrep
        return (
            user is not None
            and is_signed_in(user)
            and session_holds(self.scope, user)
            and self.still_allowed(user)
        )

    async def access_lost(self) -> None:
        await self.access_watch_stop()
        self.access_user_id = None
        await self.close(code=ACCESS_LOST)
