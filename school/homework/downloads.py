"""Sends a stored homework file to someone the access policy already let in.

Homework files are never served from /media/: a URL there would reach anyone who
learns it. Only pictures we re-encoded ourselves are shown inline; everything else
downloads, and nothing is sniffed or run by the browser.
"""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.utils.csp import CSP

INLINE_TYPES = frozenset({"image/jpeg", "image/png"})
# A file opened in its own tab may run nothing and load nothing.
FILE_CSP = {"default-src": [CSP.NONE], "img-src": [CSP.SELF], "sandbox": True}


def stored_file_response(
    field_file: FieldFile, original_name: str, content_type: str
) -> FileResponse:
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("The file is missing.") from error
    inline = content_type in INLINE_TYPES
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=original_name,
        # Stored at upload from the content check, never from the browser's claim.
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response._csp_config = FILE_CSP
    # Answers are personal: no shared cache may keep them.
    patch_cache_control(response, private=True, no_store=True)
    return response
