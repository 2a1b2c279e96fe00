"""The site's own "page not found" also with DEBUG on (the demo).

Django answers a mistyped address with its technical 404 page when DEBUG is on:
yellow, in English, listing every URL pattern. A first-time user of the demo
should see what production shows instead, so the development settings add this
middleware. A 404 that a view rendered itself is left alone.
"""

from django.http import Http404
from django.views.defaults import page_not_found

# Only Django's technical pages carry this tag.
TECHNICAL_PAGE = b'<meta name="robots" content="NONE,NOARCHIVE">'


class SiteNotFoundPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and not response.streaming
            and TECHNICAL_PAGE in response.content
        ):
            return page_not_found(request, Http404())
        return response
