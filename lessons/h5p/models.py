"""H5P packages and what pupils do with them (imported by lessons.models)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


class H5PLibrary(models.Model):
    """A library in the shared store: MEDIA_ROOT/h5p/libraries/<folder>/."""

    machine_name = models.CharField(_("machine name"), max_length=127)
    major_version = models.PositiveIntegerField()
    minor_version = models.PositiveIntegerField()
    patch_version = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=255)
    runnable = models.BooleanField(default=False)
    installed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    installed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("H5P library")
        verbose_name_plural = _("H5P libraries")
        constraints = [
            models.UniqueConstraint(
                fields=["machine_name", "major_version", "minor_version"],
                name="h5p_library_unique_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.machine_name} {self.version}"

    @property
    def version(self) -> str:
        return f"{self.major_version}.{self.minor_version}.{self.patch_version}"

    @property
    def folder(self) -> str:
        """The folder name H5P players look for: `H5P.MultiChoice-1.16`."""
        return f"{self.machine_name}-{self.major_version}.{self.minor_version}"


class H5PPackage(index.Indexed, models.Model):
    """An uploaded `.h5p` game, validated and extracted (a Wagtail snippet)."""

    title = models.CharField(_("title"), max_length=255)
    directory = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # From h5p.json: "H5P.MultiChoice" and "H5P.MultiChoice 1.16".
    content_type = models.CharField(_("content type"), max_length=127)
    main_library = models.CharField(_("main library"), max_length=160)
    license = models.CharField(_("licence"), max_length=32, blank=True)
    authors = models.JSONField(_("authors"), default=list, blank=True)
    h5p_json = models.JSONField(default=dict)
    libraries = models.ManyToManyField(H5PLibrary, related_name="packages", blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.FilterField("content_type"),
    ]

    class Meta:
        verbose_name = _("H5P game")
        verbose_name_plural = _("H5P games")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def content_dir(self) -> str:
        """Relative to MEDIA_ROOT: holds h5p.json and content/."""
        return f"h5p/content/{self.directory}"

    @property
    def author_names(self) -> str:
        return ", ".join(a.get("name", "") for a in self.authors if a.get("name"))


class Verification(models.TextChoices):
    VERIFIED = "verified", _("verified by the server")
    MISMATCH = "mismatch", _("claimed score did not match")
    UNVERIFIED = "unverified", _("not verifiable")


class CountedAttempt(models.TextChoices):
    BEST = "best", _("best attempt")
    FIRST = "first", _("first attempt")
    LAST = "last", _("last attempt")


class H5PAttempt(models.Model):
    """One top-level xAPI result of a pupil playing an H5P block of a lesson.

    The activity is (dated lesson, block_id). `raw_score`/`max_score` are the
    server's when it could score the type (verified or mismatch), else the
    browser's claim (unverified); the claim is always kept beside them.
    """

    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="h5p_attempts"
    )
    lesson = models.ForeignKey(
        "school.Lesson", on_delete=models.CASCADE, related_name="h5p_attempts"
    )
    page = models.ForeignKey(
        "lessons.LessonPage", on_delete=models.CASCADE, related_name="h5p_attempts"
    )
    block_id = models.CharField(max_length=64)
    package = models.ForeignKey(
        H5PPackage, on_delete=models.PROTECT, related_name="attempts"
    )
    raw_score = models.DecimalField(max_digits=9, decimal_places=2)
    max_score = models.DecimalField(max_digits=9, decimal_places=2)
    scaled = models.DecimalField(max_digits=5, decimal_places=4, null=True)
    claimed_raw = models.DecimalField(max_digits=9, decimal_places=2, null=True)
    claimed_max = models.DecimalField(max_digits=9, decimal_places=2, null=True)
    completion = models.BooleanField(null=True)
    success = models.BooleanField(null=True)
    duration = models.DurationField(null=True)
    verification = models.CharField(max_length=16, choices=Verification.choices)
    # Why the server did not verify the claim (empty when it did).
    verification_note = models.CharField(max_length=255, blank=True)
    statement = models.JSONField()
    # The game's `getXAPIData()` sent beside the statement: the sets' responses.
    report = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["lesson", "block_id", "pupil"])]

    def __str__(self) -> str:
        return f"{self.pupil}: {self.raw_score}/{self.max_score} ({self.verification})"


class H5PContentState(models.Model):
    """H5P's resume state ("content user data") of a pupil in one activity."""

    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    lesson = models.ForeignKey(
        "school.Lesson", on_delete=models.CASCADE, related_name="+"
    )
    block_id = models.CharField(max_length=64)
    package = models.ForeignKey(H5PPackage, on_delete=models.CASCADE, related_name="+")
    data = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "lesson", "block_id"], name="h5p_state_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pupil} · {self.lesson_id}/{self.block_id}"


class H5PActivitySettings(models.Model):
    """The teacher's choices for one H5P activity (dated lesson × block)."""

    lesson = models.ForeignKey(
        "school.Lesson", on_delete=models.CASCADE, related_name="h5p_settings"
    )
    block_id = models.CharField(max_length=64)
    counts = models.CharField(
        _("attempt that counts"),
        max_length=8,
        choices=CountedAttempt.choices,
        default=CountedAttempt.BEST,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "block_id"], name="h5p_settings_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.lesson_id}/{self.block_id}: {self.counts}"
