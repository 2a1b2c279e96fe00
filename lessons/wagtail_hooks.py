"""The lesson library in the Wagtail admin."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from lessons.models import LessonPage, MethodologistSubject


@hooks.register("before_create_page")
def authors_add_only_lessons(request, parent_page, page_class):
    """Teachers (who hold "add" but not "change") add lessons, not library sections."""
    if page_class is LessonPage:
        return None
    if not parent_page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return None


class MethodologistSubjectViewSet(ModelViewSet):
    model = MethodologistSubject
    icon = "group"
    menu_label = _("Methodologists' subjects")
    add_to_settings_menu = True
    form_fields = ["user", "subject"]
    list_display = ["user", "subject"]
    list_filter = ["subject"]


@hooks.register("register_admin_viewset")
def register_methodologist_subjects():
    return MethodologistSubjectViewSet("methodologist_subjects")


# H5P games: the snippet viewset (upload, listing, chooser) lives with the H5P code.
from lessons.h5p.wagtail_hooks import *  # noqa: E402, F401, F403
