"""Limits on the pictures teachers upload to the library (Wagtail images).

A decompression bomb is a small file that claims a huge picture. Pillow reads
the claimed size from the header before decoding and warns above its limit;
with the limit set to ours and, in the upload field, the warning made an error,
such a file is refused before any pixel is decoded.
"""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


def pillow_limits_apply() -> None:
    """Pillow warns above WAGTAILIMAGES_MAX_IMAGE_PIXELS and refuses above twice
    that, in every decode of the process (uploads, renditions, board export)."""
    Image.MAX_IMAGE_PIXELS = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, with a broken picture (a truncated file, a header
    that lies) refused with a message instead of failing the request."""

    def check_image_pixel_size(self, f):
        try:
            # Locally too: a test runner or another library may reset the
            # process-wide warning filters.
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                super().check_image_pixel_size(f)
        except (OSError, SyntaxError, ValueError) as error:
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from error


class LibraryImageForm(BaseImageForm):
    file = CheckedImageField(label=_("File"))
