"""Content Security Policy: strict for the platform, looser for the Wagtail admin.

The Wagtail admin relies on inline scripts and styles, so it cannot run under the
strict policy; it gets its own, still confined to this origin.
"""

from django.conf import settings
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.utils.csp import CSP

ADMIN_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE, CSP.UNSAFE_EVAL],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}


class PlatformCSPMiddleware(ContentSecurityPolicyMiddleware):
    def process_response(self, request, response):
        if request.path.startswith(settings.CSP_ADMIN_PATHS) and not hasattr(
            response, "_csp_config"
        ):
            response._csp_config = ADMIN_CSP
        return super().process_response(request, response)
