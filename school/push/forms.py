from django import forms
from django.utils.translation import gettext_lazy as _

from school.models import PushKind


class PushSettingsForm(forms.Form):
    """One checkbox per child and kind (field "<pupil id>:<kind>"), and the
    quiet hours."""

    quiet_from = forms.TimeField(
        label=_("Quiet from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_to = forms.TimeField(
        label=_("until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args, pupils, chosen: set[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.pupils = list(pupils)
        for pupil in self.pupils:
            for kind, label in PushKind.choices:
                self.fields[f"{pupil.pk}:{kind}"] = forms.BooleanField(
                    label=label, required=False, initial=(pupil.pk, kind) in chosen
                )

    def rows(self):
        """(pupil, [bound fields]) for the template."""
        return [
            (pupil, [self[f"{pupil.pk}:{kind}"] for kind in PushKind.values])
            for pupil in self.pupils
        ]

    def kinds_of(self, pupil) -> list[str]:
        return [k for k in PushKind.values if self.cleaned_data.get(f"{pupil.pk}:{k}")]
