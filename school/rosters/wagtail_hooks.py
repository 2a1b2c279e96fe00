"""The roster pages in the Wagtail admin menu, for those who may use them."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from school.access import administered_schools


class RosterMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return administered_schools(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_roster_menu_item():
    return RosterMenuItem(
        _("Rosters (OneRoster)"),
        reverse("roster_upload"),
        icon_name="download",
        order=110,
    )
