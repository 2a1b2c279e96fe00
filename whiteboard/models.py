"""Shared whiteboards: a Yjs document stored as an append-only log plus snapshots."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Board(models.Model):
    """One shared drawing surface; its content lives in updates and snapshots.

    `last_seq` is the sequence number of the newest update ever appended (it never
    goes down, also when compaction deletes the rows), so sequence numbers are never
    reused.
    """

    # SET_NULL: regenerating a timetable may delete a future lesson, and a board a
    # teacher prepared must not vanish with it (it falls back to its creator).
    lesson = models.OneToOneField(
        "school.Lesson",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board",
        verbose_name=_("lesson"),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_seq = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("whiteboard")
        verbose_name_plural = _("whiteboards")

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"


class BoardUpdate(models.Model):
    """One Yjs update (v1 encoding), in the order the server persisted it."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="updates")
    seq = models.PositiveBigIntegerField()
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["board", "seq"], name="whiteboard_update_board_seq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.board_id}:{self.seq}"


class BoardSnapshot(models.Model):
    """The whole document as one Yjs update, covering updates up to `upto_seq`."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="snapshots")
    upto_seq = models.PositiveBigIntegerField()
    state = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["board", "upto_seq"], name="whiteboard_snapshot_board_seq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.board_id}@{self.upto_seq}"


class Pen(models.TextChoices):
    NONE = "none", _("Teacher only")
    ONE = "one", _("One pupil")
    ALL = "all", _("Every pupil")


class LiveSession(models.Model):
    """A live lesson on the lesson's board: who holds the pen, what screens follow.

    At most one open session per lesson; its join code is unique among open ones
    (an ended session's code may come round again).
    """

    lesson = models.ForeignKey(
        "school.Lesson",
        on_delete=models.CASCADE,
        related_name="live_sessions",
        verbose_name=_("lesson"),
    )
    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="live_sessions"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    code = models.CharField(_("join code"), max_length=6)
    pen = models.CharField(max_length=4, choices=Pen.choices, default=Pen.NONE)
    pen_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # {"page": str, "viewport": {...}} while pupils' screens follow the teacher.
    follow = models.JSONField(null=True, blank=True)
    # The lesson page's section (block id) the teacher last pushed to every screen.
    section = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("live lesson")
        verbose_name_plural = _("live lessons")
        constraints = [
            models.UniqueConstraint(
                fields=["lesson"],
                condition=models.Q(ended_at__isnull=True),
                name="whiteboard_live_one_open_per_lesson",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(ended_at__isnull=True),
                name="whiteboard_live_open_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lesson_id}/{self.code}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class Presence(models.Model):
    """Someone in a live session: when first and last seen, and how many of their
    sockets are open right now (a pupil may have two tabs)."""

    session = models.ForeignKey(
        LiveSession, on_delete=models.CASCADE, related_name="presences"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField()
    connections = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="whiteboard_presence_session_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.user_id}"


def board_image_upload_to(instance: "BoardImage", filename: str) -> str:
    return f"boards/{instance.board_id}/{filename}"


class BoardImage(models.Model):
    """An image placed on a board, stored re-encoded outside the document: the
    board's assets hold its URL, not its bytes. Served only through the board's
    access policy (whiteboard.image_views), never by the public media route."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=board_image_upload_to, max_length=255)
    mime_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField(help_text="Stored bytes")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("board image")
        verbose_name_plural = _("board images")
        constraints = [
            # The same picture dropped twice on a board is stored once.
            models.UniqueConstraint(
                fields=["board", "sha256"], name="whiteboard_image_board_sha256"
            )
        ]

    def __str__(self) -> str:
        return f"{self.board_id}/{self.pk}"
