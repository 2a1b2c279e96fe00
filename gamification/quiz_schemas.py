"""Messages a live-quiz socket accepts: the host's commands and a player's answer."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, TypeAdapter


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Start(_Message):
    type: Literal["start"]


class Next(_Message):
    type: Literal["next"]


class Reveal(_Message):
    """Closes the open question now; "skip" is the same step under another name."""

    type: Literal["reveal", "skip"]


class End(_Message):
    type: Literal["end"]


class Answer(_Message):
    type: Literal["answer"]
    question: Annotated[StrictInt, Field(ge=0, le=1000)]
    # One index, or several for a question with more than one correct choice.
    choice: (
        Annotated[StrictInt, Field(ge=0, le=20)]
        | Annotated[
            list[Annotated[StrictInt, Field(ge=0, le=20)]],
            Field(min_length=1, max_length=6),
        ]
    )

    @property
    def choices(self) -> list[int]:
        return self.choice if isinstance(self.choice, list) else [self.choice]


HostCommand = Start | Next | Reveal | End
Message = Start | Next | Reveal | End | Answer
_adapter = TypeAdapter(Annotated[Message, Field(discriminator="type")])


def parse(content) -> Message:
    """Raises pydantic.ValidationError for anything but a known, well-formed message."""
    return _adapter.validate_python(content)
