"""Downloading a library document: only through this view, never as media."""

from urllib.parse import quote

from django.contrib.auth.views import redirect_to_login
from django.views.decorators.http import require_safe
from wagtail.documents.views.serve import serve

from lessons.documents.access import get_document_for_user
from lessons.documents.content import content_type_for

# A document opened directly must not run as a page of the platform, whatever
# a browser makes of its bytes.
DOCUMENT_CSP = "default-src 'none'; sandbox"


@require_safe
def document_download(request, document_id: int, document_filename: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    document = get_document_for_user(request.user, document_id, document_filename)
    response = serve(request, document.pk, document.filename)
    if response.status_code == 200:
        response["Content-Disposition"] = _attachment(document.filename)
        response["Content-Type"] = content_type_for(document.filename)
    response["Content-Security-Policy"] = DOCUMENT_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _attachment(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"
