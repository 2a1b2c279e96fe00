"""Input for homework pages; the files themselves are judged by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from school.homework.uploads import KINDS, MAX_FILES, PICTURE_NAMES
from school.models import WorkType

# A hint for the browser's file picker ("image/*" lets a phone offer its camera);
# what counts is the content check in the services.
ACCEPT = ",".join(
    [*(kind.extension for kind in KINDS.values()), *PICTURE_NAMES, "image/*"]
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(d, initial) for d in items if d]


def _files_field() -> MultipleFileField:
    return MultipleFileField(
        label=_("Files"),
        help_text=_(
            "Up to %(count)d files of at most 20 MB each: photos, PDF, Word, Excel, "
            "PowerPoint, OpenDocument or text."
        )
        % {"count": MAX_FILES},
    )


class HomeworkForm(forms.Form):
    text = forms.CharField(
        label=_("Task"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what the pupils have to do.")},
    )
    due_date = forms.DateField(
        label=_("Due date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Choose the due date.")},
    )
    files = _files_field()


class SubmissionForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    # On a phone this opens the camera straight away; the photos join the files.
    photos = MultipleFileField(
        label=_("Take a photo"),
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    files = _files_field()

    def clean(self):
        cleaned = super().clean()
        cleaned["files"] = [*cleaned.pop("photos", []), *cleaned.get("files", [])]
        return cleaned


class ReviewForm(forms.Form):
    value = forms.IntegerField(
        label=_("Mark"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("Enter a mark.")},
    )
    work_type = forms.ModelChoiceField(
        label=_("Work type"), queryset=WorkType.objects.all(), required=False
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
