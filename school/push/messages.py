"""What a push says, from the diary event that caused it; None for events that
make no push (a homework handed in, someone marked present)."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from school.gradebook.averages import mark_display
from school.models import PushKind

ATTENDANCE_TEXT = {
    "absent": lambda: _("%(name)s was absent from %(subject)s"),
    "late": lambda: _("%(name)s was late for %(subject)s"),
    "excused": lambda: _("%(name)s was absent from %(subject)s for a good reason"),
}


def push_message(*, kind: str, name: str, pupil_id: int, data: dict):
    """(push kind, {title, body, url}) or None."""
    with translation.override(settings.LANGUAGE_CODE):
        found = _message(kind, name, data)
    if found is None:
        return None
    push_kind, title, body = found
    url = reverse("diary:week", args=[pupil_id])
    return push_kind, {"title": title, "body": body, "url": url, "tag": push_kind}


def _message(kind: str, name: str, data: dict):
    if kind == "mark":
        body = _("%(name)s: %(value)s in %(subject)s (%(work)s)") % {
            "name": name,
            "value": mark_display(data.get("scale", ""), data.get("value", 0)),
            "subject": data.get("subject", ""),
            "work": data.get("work_type", ""),
        }
        return PushKind.MARK, _("New mark"), body
    if kind == "attendance" and data.get("status") in ATTENDANCE_TEXT:
        text = ATTENDANCE_TEXT[data["status"]]()
        body = text % {"name": name, "subject": data.get("subject", "")}
        return PushKind.ATTENDANCE, _("Attendance"), body
    if kind == "homework" and data.get("event") == "assigned":
        body = _("%(subject)s, due %(due)s") % {
            "subject": data.get("subject", ""),
            "due": data.get("due_date", ""),
        }
        return PushKind.HOMEWORK, _("New homework for %(name)s") % {"name": name}, body
    if kind == "points" and data.get("badges"):
        body = _("%(name)s earned: %(badges)s") % {
            "name": name,
            "badges": ", ".join(data["badges"]),
        }
        return PushKind.BADGE, _("New badge"), body
    return None
