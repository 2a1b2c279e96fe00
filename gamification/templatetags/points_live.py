"""Live points on other apps' pages: toasts on a pupil's every page, the feed in
the diary, the lines on a live lesson's console.

The base template, school's diary and whiteboard's console load this library (the
accepted seam: school never imports gamification). Each tag costs at most one
query.
"""

import json

from django import template

from gamification.feed import points_recent
from gamification.models import EntryKind
from school.models import ClassGroup, Role, User

register = template.Library()


@register.simple_tag
def points_kinds_json() -> str:
    """The entry kinds' names in the page's language, for the live modules (the
    event's own label is in the language of whoever caused the award)."""
    labels = {value: str(label) for value, label in EntryKind.choices}
    return json.dumps(labels, ensure_ascii=False)


@register.inclusion_tag("gamification/_points_toasts.html", takes_context=True)
def points_toasts(context) -> dict:
    """The toasts' module on every page of a signed-in pupil; nothing for others."""
    user = context.get("user")
    is_pupil = bool(user and user.is_authenticated and user.has_role(Role.PUPIL))
    return {"show": is_pupil, "csp_nonce": context.get("csp_nonce")}


@register.inclusion_tag("gamification/_points_feed.html", takes_context=True)
def points_feed(context, pupil: User) -> dict:
    """The pupil's latest points with a live line for each new award. Only on a
    page that has already checked that the viewer may see this pupil."""
    return {
        "pupil": pupil,
        "entries": list(points_recent(pupil=pupil)),
        "csp_nonce": context.get("csp_nonce"),
    }


@register.inclusion_tag("gamification/_class_points.html", takes_context=True)
def class_points_live(context, class_group: ClassGroup) -> dict:
    """The class's awards as they happen, on its teacher's lesson console (the
    socket itself admits only the class's teachers)."""
    return {"class_group": class_group, "csp_nonce": context.get("csp_nonce")}
