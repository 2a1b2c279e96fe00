"""Messages of the libraries we use that their own catalogues leave untranslated
in Russian; listed here so that `makemessages` puts them in ours (our catalogue
is read first)."""

from django.utils.translation import gettext_noop

LIBRARY_MESSAGES = (
    # Django 6.1's empty choice of every select (forms.ModelChoiceField and
    # model fields with choices).
    gettext_noop("- Select an option -"),
)
