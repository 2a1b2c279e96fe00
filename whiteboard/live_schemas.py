"""The teacher's commands on the live-lesson socket: validated, then run."""

from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from school.models import User
from whiteboard import live
from whiteboard.models import LiveSession

Name = Annotated[str, Field(max_length=64)]


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PenGive(_Command):
    type: Literal["pen.give"]
    pupil: int | None = None
    everyone: bool = False


class PenTake(_Command):
    type: Literal["pen.take"]


Side = Annotated[float, Field(gt=0, le=100_000)]


class Viewport(_Command):
    """The teacher's view: Excalidraw's scroll and zoom, and the size of the
    teacher's canvas, so a smaller screen can fit the same part of the board."""

    x: float
    y: float
    zoom: Annotated[float, Field(gt=0, le=100)]
    width: Side | None = None
    height: Side | None = None


class Follow(_Command):
    type: Literal["follow"]
    page: Name
    viewport: Viewport


class FollowStop(_Command):
    type: Literal["follow.stop"]


class SectionPush(_Command):
    type: Literal["section.push"]
    section: Name


class PageClear(_Command):
    type: Literal["page.clear"]
    page: Name


class End(_Command):
    type: Literal["session.end"]


Command = PenGive | PenTake | Follow | FollowStop | SectionPush | PageClear | End
_adapter = TypeAdapter(Annotated[Command, Field(discriminator="type")])


def parse(content) -> Command:
    """Raises pydantic.ValidationError for anything but a known, well-formed command."""
    return _adapter.validate_python(content)


def execute(command: Command, *, teacher: User, session: LiveSession) -> dict | None:
    """Runs a parsed command through the live-lesson services; returns a reply for
    the teacher's socket, if the command has one (the end: proposed attendance)."""
    kwargs = {"teacher": teacher, "session": session}
    if isinstance(command, PenGive):
        pupil = None
        if command.pupil is not None:
            # live_pen_give refuses anyone but a pupil of the session's class.
            pupil = User.objects.filter(pk=command.pupil).first()  # nosemgrep
        if not command.everyone and pupil is None:
            raise ValidationError(_("The pen can only go to a pupil of this class."))
        live.live_pen_give(**kwargs, pupil=pupil, everyone=command.everyone)
    elif isinstance(command, PenTake):
        live.live_pen_take(**kwargs)
    elif isinstance(command, Follow):
        live.live_follow_set(
            **kwargs, follow=command.model_dump(exclude={"type"}, exclude_none=True)
        )
    elif isinstance(command, FollowStop):
        live.live_follow_set(**kwargs, follow=None)
    elif isinstance(command, SectionPush):
        live.live_section_push(**kwargs, section=command.section)
    elif isinstance(command, PageClear):
        live.live_page_clear(**kwargs, page=command.page)
    elif isinstance(command, End):
        proposal = live.live_session_end(**kwargs)
        return {
            "type": "attendance",
            "present": [pupil.pk for pupil in proposal.present],
            "absent": [pupil.pk for pupil in proposal.absent],
        }
    return None
