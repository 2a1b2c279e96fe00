"""SVG drawings from a package: refused when they carry a script, cleaned always.

A drawing with a script (a `<script>` element, an `on…` event handler, a
`javascript:` link) is refused with its reason: nothing in a lesson picture
needs code, so it is a sign of a hostile package. Every other drawing is rebuilt
by Cloudflare's svg-hush (py-svg-hush) from an allowlist before it is stored:
`foreignObject`, external references and anything else active do not survive,
and entity tricks fail to parse. Raster images embedded as data URLs are kept
(H5P exports often have them).
"""

import io
import re

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext_lazy as _
from py_svg_hush import filter_svg

from lessons.h5p.archive import PackageRefused

EMBEDDED_IMAGES = {"image": ["png", "jpeg", "gif", "webp"]}
# Browsers ignore whitespace and control characters inside a URL's scheme.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]+")


def _local(name: str) -> str:
    """`{http://www.w3.org/2000/svg}script` → `script`."""
    return name.rsplit("}", 1)[-1].lower()


def _has_script(data: bytes) -> bool:
    for _event, element in ElementTree.iterparse(io.BytesIO(data), events=("start",)):
        if _local(element.tag) == "script":
            return True
        for attribute, value in element.attrib.items():
            name = _local(attribute)
            if name.startswith("on"):
                return True
            if _IGNORED_IN_SCHEME.sub("", value).lower().startswith("javascript:"):
                return True
    return False


def _unreadable(name: str) -> PackageRefused:
    return PackageRefused(
        _("%(name)s is not a readable SVG drawing."),
        code="invalid_svg",
        params={"name": name},
    )


def svg_sanitise(data: bytes, *, name: str) -> bytes:
    """The drawing without anything active. PackageRefused if it carries a
    script ("svg_script") or cannot be parsed ("invalid_svg")."""
    try:
        scripted = _has_script(data)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as error:
        raise _unreadable(name) from error
    if scripted:
        raise PackageRefused(
            _("%(name)s is a drawing with a script; SVG with scripts is refused."),
            code="svg_script",
            params={"name": name},
        )
    try:
        return filter_svg(data, EMBEDDED_IMAGES)
    except ValueError as error:
        raise _unreadable(name) from error
