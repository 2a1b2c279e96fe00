"""Input of the badge pages: the public verifier and revocation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gamification.openbadges import MAX_TOKEN_CHARS

MAX_BAKED_PNG_BYTES = 5 * 1024 * 1024


class VerifyForm(forms.Form):
    token = forms.CharField(
        label=_("Credential (JWT)"),
        required=False,
        max_length=MAX_TOKEN_CHARS,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
    )
    image = forms.FileField(label=_("Badge image (PNG)"), required=False)

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image is not None and image.size > MAX_BAKED_PNG_BYTES:
            raise forms.ValidationError(_("The picture is larger than 5 MB."))
        return image

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("token") and not cleaned.get("image"):
            raise forms.ValidationError(
                _("Paste a credential or choose a badge picture to check.")
            )
        return cleaned


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
