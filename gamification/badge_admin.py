"""Badges in the Wagtail admin (/cms/): teachers and school administrators
define the badges of their schools; who may change which is gamification.access.

Saving goes through badges.badge_save (the one write path), which draws or
re-encodes the art. Badges are never deleted (awards point at them): an editor
switches one off instead.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from gamification import access, badge_art
from gamification.badges import badge_criterion_check, badge_save
from gamification.models import Badge, BadgeAward
from school.models import Role, User

ACTIONS = frozenset({"add", "change", "view"})


class BadgePermissionPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        # "change" means "on some rows" (their own), as Wagtail's ownership policy.
        return action in ACTIONS and access.can_edit_badges(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if action in ("change", "view"):
            return access.can_change_badge(user, instance)
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.user_has_permission_for_instance(user, action, instance)
            for action in actions
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return Badge.objects.none()
        return access.badges_changeable_by(user)

    def users_with_any_permission(self, actions):
        return User.objects.filter(
            Q(is_superuser=True)
            | Q(role_grants__role__in=[Role.TEACHER, Role.SCHOOL_ADMIN]),
            is_active=True,
        ).distinct()


class BadgeForm(WagtailAdminModelForm):
    """Offers only the schools the editor may give badges in; the art is drawn
    unless a picture is uploaded."""

    upload = forms.FileField(
        label=_("Picture"),
        required=False,
        help_text=_("Optional: a PNG, JPEG, WebP or GIF, cut to a square."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    redraw = forms.BooleanField(
        label=_("Draw the picture again from the name, colour and shape"),
        required=False,
    )

    class Meta:
        model = Badge
        fields = [
            "school",
            "name",
            "description",
            "criterion",
            "threshold",
            "subject",
            "colour",
            "shape",
            "active",
        ]
        widgets = {"colour": forms.TextInput(attrs={"type": "color"})}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.art = None
        if for_user is not None and not for_user.is_superuser:
            self.fields["school"].queryset = access.badge_schools_for(for_user)
            # A city badge is for platform administrators only.
            self.fields["school"].required = True

    def clean_colour(self):
        colour = self.cleaned_data["colour"]
        if len(colour) != 7 or colour[0] != "#":
            raise ValidationError(_("Choose a colour such as #2E7D32."))
        try:
            int(colour[1:], 16)
        except ValueError:
            raise ValidationError(_("Choose a colour such as #2E7D32.")) from None
        return colour.upper()

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            self.art = badge_art.art_from_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        try:
            badge_criterion_check(
                criterion=cleaned.get("criterion"), subject=cleaned.get("subject")
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class SaveThroughService:
    def save_instance(self):
        return badge_save(
            badge=self.form.instance,
            by=self.request.user,
            art=self.form.art,
            redraw=self.form.cleaned_data.get("redraw", False),
        )


class BadgeCreateView(SaveThroughService, generic.CreateView):
    pass


class OwnBadgeMixin:
    """Loads a badge only for someone who may change it (404 otherwise)."""

    def get_object(self, queryset=None):
        badge = super().get_object(queryset)
        if not access.can_change_badge(self.request.user, badge):
            raise Http404("No such badge.")
        return badge


class BadgeEditView(OwnBadgeMixin, SaveThroughService, generic.EditView):
    pass


class BadgeIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            access.badges_changeable_by(self.request.user)
            .select_related("school", "subject")
            .defer("art")
        )


def _art(badge: Badge) -> str:
    url = reverse("gamification:badge_art", args=[badge.pk])
    return format_html('<img src="{}" alt="" width="40" height="40">', url)


class BadgeViewSet(ModelViewSet):
    model = Badge
    icon = "pick"
    menu_label = _("Badges")
    menu_name = "badges"
    add_to_admin_menu = True
    menu_order = 260
    form_base = BadgeForm
    index_view_class = BadgeIndexView
    add_view_class = BadgeCreateView
    edit_view_class = BadgeEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        Column("art", label=_("picture"), accessor=_art),
        "name",
        "school",
        "criterion",
        "threshold",
        "active",
    ]
    list_filter = ["criterion", "active"]
    search_fields = ["name"]

    def get_form_class(self, for_update=False):
        return BadgeForm


# --- Awards: a list to find the one to revoke (revoking is its own page).


class BadgeAwardPermissionPolicy(BadgePermissionPolicy):
    def user_has_permission(self, user, action):
        return action == "view" and access.can_edit_badges(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return action == "view" and access.can_revoke_award(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return BadgeAward.objects.none()
        return access.awards_revocable_by(user)


class BadgeAwardIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            access.awards_revocable_by(self.request.user)
            .select_related("badge", "pupil", "school")
            .defer("badge__art")
            .order_by("-awarded_at")
        )


def _revoke_link(award: BadgeAward) -> str:
    if award.revoked_at is not None:
        return format_html("<span>{}</span>", _("revoked"))
    url = reverse("gamification:badge_award_revoke", args=[award.public_id])
    return format_html('<a href="{}">{}</a>', url, _("Revoke"))


class BadgeAwardViewSet(ModelViewSet):
    model = BadgeAward
    icon = "pick"
    menu_label = _("Badges earned")
    menu_name = "badge-awards"
    add_to_admin_menu = True
    menu_order = 261
    index_view_class = BadgeAwardIndexView
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["revocation_reason"]
    list_display = [
        "badge",
        "pupil",
        "school",
        "awarded_at",
        Column("revoke", label=_("revocation"), accessor=_revoke_link),
    ]
    search_fields = ["badge__name", "pupil__last_name"]
