"""Live quiz games (Kahoot-style): a game hosted by a teacher, its players and
their answers. Questions are stored as plain data with the game, so a game keeps
its questions even if the lesson it came from is edited later."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class GameStatus(models.TextChoices):
    LOBBY = "lobby", _("Waiting for players")
    QUESTION = "question", _("Question open")
    REVEAL = "reveal", _("Answer shown")
    FINISHED = "finished", _("Finished")


class QuizGame(models.Model):
    """One game. `questions` is a list of {"text", "choices": [str], "correct":
    [index], "time_limit": seconds}; the correct indexes never leave the server
    before a question closes."""

    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    class_group = models.ForeignKey(
        "school.ClassGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.ForeignKey(
        "school.Subject",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    code = models.CharField(_("code"), max_length=6)
    questions = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=GameStatus.choices, default=GameStatus.LOBBY
    )
    # -1 in the lobby; the question shown (or just revealed) after that.
    current = models.SmallIntegerField(default=-1)
    opened_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    # Points of questions up to this index have gone through the ledger.
    awarded_through = models.SmallIntegerField(default=-1)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("live quiz")
        verbose_name_plural = _("live quizzes")
        constraints = [
            # Codes are reused once a game is over: unique only among open games.
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(status="finished"),
                name="gamification_quiz_open_code",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class QuizPlayer(models.Model):
    """A pupil in a game. The row, not the socket, is the player: whoever reloads
    or loses the connection comes back to the same score."""

    game = models.ForeignKey(QuizGame, on_delete=models.CASCADE, related_name="players")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    score = models.IntegerField(default=0)
    # Correct answers in a row, for the streak bonus.
    streak = models.SmallIntegerField(default=0)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quiz player")
        verbose_name_plural = _("quiz players")
        constraints = [
            models.UniqueConstraint(
                fields=["game", "user"], name="gamification_quiz_player"
            )
        ]
        indexes = [
            models.Index(fields=["game", "-score"], name="gamification_quiz_rank")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.game_id}: {self.score}"


class QuizAnswer(models.Model):
    """A player's one answer to a question, timed and scored by the server."""

    player = models.ForeignKey(
        QuizPlayer, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.SmallIntegerField()
    choices = models.JSONField(default=list)
    answered_at = models.DateTimeField()
    response_ms = models.PositiveIntegerField()
    correct = models.BooleanField()
    points = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("quiz answer")
        verbose_name_plural = _("quiz answers")
        constraints = [
            models.UniqueConstraint(
                fields=["player", "question"], name="gamification_quiz_answer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.player_id} q{self.question}: {self.points}"
