"""Forms of the H5P games admin: input validation only (the upload is a service)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from lessons.h5p.models import H5PPackage


class H5PPackageUploadForm(WagtailAdminModelForm):
    """A `.h5p` file and, optionally, a title to show instead of the package's."""

    file = forms.FileField(
        label=_("H5P file"),
        help_text=_("A .h5p file exported with its libraries (up to 50 MiB)."),
        widget=forms.FileInput(attrs={"accept": ".h5p"}),
    )

    class Meta:
        model = H5PPackage
        fields = ["title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave empty to use the package's title.")


class H5PPackageTitleForm(WagtailAdminModelForm):
    """After the upload only the title changes; the files stay as checked."""

    class Meta:
        model = H5PPackage
        fields = ["title"]
