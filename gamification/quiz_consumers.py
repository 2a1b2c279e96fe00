"""The live quiz socket: `ws/quiz/<game id>/`, JSON both ways.

The host sends start / next / reveal (skip) / end; players send answers and get
an ack each. Everyone hears the game's events through the group `quiz.<game>`,
and each player's socket cuts the results down to that player's own standing.

A question closes at its deadline without anyone pressing anything: the host's
socket sleeps until then and closes it; an answer arriving late closes it too;
and players' sockets try a little later in case the host's process is gone.
Closing is idempotent, so however many processes try, the results go out once.
"""

import asyncio
import json
import random
from datetime import datetime

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone
from pydantic import ValidationError as SchemaError

from gamification import access, quiz_schemas
from gamification.models import QuizGame
from gamification.quiz import payloads, services
from school.socket_access import AccessCheckedSocket
from school.socket_limits import InboundLimits

SIGNED_OUT, FORBIDDEN = 4401, 4403
RATE_PER_SECOND, RATE_BURST = 5.0, 10
# Players' sockets close an overdue question only if the host's has not.
FALLBACK_SECONDS, FALLBACK_JITTER = 2.0, 1.0


def _role(user, game_id: int) -> tuple[QuizGame, bool] | None:
    """The game and whether `user` hosts it; None for anyone else."""
    try:
        return access.get_quiz_for_host(user, game_id), True
    except Http404:
        pass
    try:
        game, _player = access.get_quiz_for_player(user, game_id)
    except PermissionDenied:
        return None
    return game, False


# Standings per (event loop, game, question): the first socket of a process to
# hear the results loads them, the others in that process await the same load.
_standings: dict[tuple[int, int, int], asyncio.Task] = {}
STANDINGS_KEPT = 64


async def _standing_of(game_id: int, index: int, user_id: int):
    key = (id(asyncio.get_running_loop()), game_id, index)
    task = _standings.get(key)
    if task is None:
        load = database_sync_to_async(payloads.standings_map)
        task = _standings[key] = asyncio.ensure_future(load(game_id, index))
        while len(_standings) > STANDINGS_KEPT:
            _standings.pop(next(iter(_standings)))
    return (await task).get(user_id)


class QuizConsumer(AccessCheckedSocket, InboundLimits, AsyncJsonWebsocketConsumer):
    inbound_rate_per_second, inbound_burst = RATE_PER_SECOND, RATE_BURST
    group: str | None = None
    _timer: asyncio.Task | None = None

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=SIGNED_OUT)
            return
        game_id = int(self.scope["url_route"]["kwargs"]["game_id"])
        found = await database_sync_to_async(_role)(user, game_id)
        if found is None:
            await self.close(code=FORBIDDEN)
            return
        self.user, self.game_id = user, game_id
        game, self.is_host = found
        self.awards: set[asyncio.Task] = set()
        self.group = services.quiz_group_name(game_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        if self.is_host:
            hosts = services.quiz_hosts_group_name(game_id)
            await self.channel_layer.group_add(hosts, self.channel_name)
        await self.accept()
        state = await database_sync_to_async(payloads.state_payload)(
            game, user_id=user.pk, is_host=self.is_host
        )
        await self.send_json(state)
        if "question" in state:
            self._schedule(state["question"])
        await self.access_watch_start(user)

    def still_allowed(self, user) -> bool:
        found = _role(user, self.game_id)
        return found is not None and found[1] == self.is_host

    async def disconnect(self, code):
        await self.access_watch_stop()
        if self._timer is not None:
            self._timer.cancel()
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            if self.is_host:
                hosts = services.quiz_hosts_group_name(self.game_id)
                await self.channel_layer.group_discard(hosts, self.channel_name)
            self.group = None
        # Awards run in their own thread; let them finish before the socket goes.
        if getattr(self, "awards", None):
            await asyncio.gather(*self.awards, return_exceptions=True)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            await self._error("malformed")
            return
        try:
            await super().receive(text_data=text_data)
        except json.JSONDecodeError:
            await self._error("malformed")

    async def receive_json(self, content, **kwargs):
        received_at = timezone.now()  # the answer's time: before any queueing
        try:
            message = quiz_schemas.parse(content)
        except SchemaError:
            await self._error("malformed")
            return
        if isinstance(message, quiz_schemas.Answer):
            await self._answer(message, received_at)
        elif not self.is_host:
            await self._error("forbidden")
        else:
            await self._command(message)

    async def _answer(self, message: quiz_schemas.Answer, at: datetime) -> None:
        outcome = await database_sync_to_async(services.quiz_answer)(
            user=self.user,
            game_id=self.game_id,
            question=message.question,
            choices=message.choices,
            at=at,
        )
        await self.send_json(
            {
                "type": "ack",
                "question": message.question,
                "accepted": outcome.accepted,
                "reason": outcome.refused,
            }
        )
        if outcome.refused == "late":
            await self._close(message.question)

    async def _command(self, message: quiz_schemas.HostCommand) -> None:
        run = {
            "start": services.quiz_start,
            "next": services.quiz_next,
            "reveal": services.quiz_reveal,
            "skip": services.quiz_reveal,
            "end": services.quiz_end,
        }[message.type]
        try:
            await database_sync_to_async(run)(host=self.user, game_id=self.game_id)
        except PermissionDenied:
            await self.close(code=FORBIDDEN)
        except ValidationError as error:
            await self._error("invalid", error.messages)
        else:
            if message.type != "start":
                self._award()

    async def _close(self, index: int) -> None:
        closed = await database_sync_to_async(services.quiz_close)(
            game_id=self.game_id, index=index
        )
        if closed:
            self._award()

    def _award(self) -> None:
        # Off the consumer's thread, so a big class's awards do not hold up the
        # next question's answers; SQLite has one writer, so there it waits its turn.
        own_thread = connection.vendor != "sqlite"
        award = database_sync_to_async(
            services.quiz_points_award, thread_sensitive=not own_thread
        )
        task = asyncio.create_task(award(game_id=self.game_id))
        self.awards.add(task)
        task.add_done_callback(self.awards.discard)

    def _schedule(self, question: dict) -> None:
        if self._timer is not None:
            self._timer.cancel()
        delay = 0.0
        if not self.is_host:
            delay = FALLBACK_SECONDS + random.uniform(0, FALLBACK_JITTER)  # nosec B311  # noqa: S311 - timing jitter
        closes_at = datetime.fromisoformat(question["closes_at"])
        self._timer = asyncio.create_task(
            self._close_when_due(question["index"], closes_at, delay)
        )

    async def _close_when_due(self, index: int, closes_at: datetime, delay: float):
        wait = (closes_at - timezone.now()).total_seconds() + delay
        await asyncio.sleep(max(wait, 0) + 0.01)
        await self._close(index)

    async def inbound_too_fast(self) -> None:
        await self._error("too_fast")

    async def _error(self, code: str, messages: list[str] | None = None) -> None:
        await self.send_json(
            {"type": "error", "code": code, "messages": messages or []}
        )

    async def quiz_event(self, message):
        event = message["event"]
        kind = event["type"]
        if kind == "question":
            self._schedule(event)
        elif kind in ("results", "podium") and self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.is_host:
            pass
        elif kind == "joined":
            event = {"type": "joined", "players": event["players"]}
        elif kind in ("results", "podium"):
            own = await _standing_of(self.game_id, event["index"], self.user.pk)
            event = payloads.personal(event, own)
        await self.send_json(event)
