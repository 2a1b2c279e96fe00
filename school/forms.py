from django import forms
from django.utils.translation import gettext_lazy as _


class AnnouncementForm(forms.Form):
    text = forms.CharField(
        label=_("Announcement"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write the text of the announcement."),
            "max_length": _("An announcement has at most %(limit_value)d characters."),
        },
    )
