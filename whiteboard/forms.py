from django import forms
from django.utils.translation import gettext_lazy as _

from whiteboard.selectors import CODE_LENGTH


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), min_length=CODE_LENGTH, max_length=CODE_LENGTH + 4
    )
