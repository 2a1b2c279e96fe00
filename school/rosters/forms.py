"""The roster upload form: input validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from school.rosters.archive import MAX_ARCHIVE_BYTES


class RosterUploadForm(forms.Form):
    archive = forms.FileField(
        label=_("Zip of OneRoster 1.2 CSV files"),
        help_text=_("manifest.csv and the files it lists, in one zip."),
    )
    dry_run = forms.BooleanField(
        label=_("Only check and count; write nothing"), required=False, initial=True
    )

    def clean_archive(self):
        archive = self.cleaned_data["archive"]
        if archive.size > MAX_ARCHIVE_BYTES:
            raise forms.ValidationError(_("The file is larger than the limit."))
        return archive
