"""Gamification in the Wagtail admin."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from gamification.badge_admin import (
    BadgeAwardPermissionPolicy,
    BadgeAwardViewSet,
    BadgePermissionPolicy,
    BadgeViewSet,
)
from gamification.models import Badge, BadgeAward

# Registered before any viewset asks, or Wagtail falls back to model permissions.
register_permission_policy(Badge, BadgePermissionPolicy(Badge))
register_permission_policy(BadgeAward, BadgeAwardPermissionPolicy(BadgeAward))


@hooks.register("register_admin_viewset")
def register_badges():
    return BadgeViewSet("badges")


@hooks.register("register_admin_viewset")
def register_badge_awards():
    return BadgeAwardViewSet("badge_awards")
