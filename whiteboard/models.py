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
