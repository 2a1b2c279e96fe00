"""Input validation of the lessons app's pages."""

from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from lessons import selectors
from school.models import Subject

GRADES = range(1, 12)


class LibraryFilterForm(forms.Form):
    """The library's search box and filters; every field may be left empty."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    subject = forms.ModelChoiceField(
        label=_("Subject"),
        queryset=Subject.objects.order_by("name"),
        required=False,
        empty_label=_("All subjects"),
    )
    grade = forms.TypedChoiceField(
        label=_("Grade"),
        choices=[("", _("All grades")), *((g, g) for g in GRADES)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    tag = forms.ModelChoiceField(
        label=_("Tag"),
        queryset=Tag.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All tags"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Per request: the published lessons' tags change, and building this
        # queryset reads the view restrictions, which must not happen at import.
        self.fields["tag"].queryset = selectors.library_tags()

    def filters(self) -> dict:
        """The valid filters as keyword arguments of `selectors.library_find`;
        a field with a bad value is left out rather than failing the page."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "query": data.get("q", "").strip(),
            "subject": data.get("subject"),
            "grade": data.get("grade"),
            "tag": data.get("tag"),
        }
