"""Wagtail API v2: the published library lessons as open data.

Only live, public lesson pages; their body goes out as `public_body` (no teacher
notes, no quiz answers). The raw `body`, the owner and drafts are not fields of
this endpoint, so asking for them is an error rather than a leak.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from lessons.models import LessonPage


class LibraryLessonsAPIViewSet(PagesAPIViewSet):
    model = LessonPage
    name = "lessons"

    def get_base_queryset(self):
        # Not the site's pages: the library's lessons wherever the tree puts them.
        return LessonPage.objects.live().public()


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", LibraryLessonsAPIViewSet)
