import posixpath

from django.conf import settings
from django.http import Http404
from django.urls import include, path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from lessons.api import api_router

urlpatterns = [
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include("lessons.documents.urls")),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v2/", api_router.urls),
    path("library/", include("lessons.urls")),
    path("points/", include("gamification.urls")),
    path("live/", include("whiteboard.urls")),
    path("", include("school.urls")),
]

# Under media/ but not served by the plain media route: homework and library
# documents only by views that check who asks (documents as attachments);
# H5P games only with their confining headers (lessons.h5p.files); board images
# only to people who may open the board.
PRIVATE_MEDIA_FOLDERS = ("homework", "h5p", "boards", "documents")


def public_media_serve(request, path: str):
    """The development server's media route, minus the private folders.

    The path is normalised first, as `serve` does, so `x/../homework/…` cannot
    slip past the check.
    """
    top = posixpath.normpath(path).lstrip("/").split("/", 1)[0]
    if top.lower() in PRIVATE_MEDIA_FOLDERS:
        raise Http404("Not a public file.")
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.DEBUG:
    urlpatterns.append(path("media/<path:path>", public_media_serve))

# Wagtail's page serving catches every remaining path, so it comes last.
urlpatterns.append(path("pages/", include(wagtail_urls)))
