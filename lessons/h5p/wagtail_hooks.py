"""H5P games in the Wagtail admin. STUB — helper A writes the upload viewset."""

from wagtail.snippets.models import register_snippet

from lessons.h5p.models import H5PPackage

register_snippet(H5PPackage)
