"""Writes for people and schools: each validates first, then writes atomically."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import import_module

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from school.access_changes import access_changed
from school.models import (
    CitySession,
    Guardianship,
    Notification,
    Role,
    RoleGrant,
    School,
    UsedLogoutToken,
    User,
)
from school.push import services as push_services
from school.selectors import school_audience

logger = logging.getLogger(__name__)

KNOWN_ROLES = frozenset(Role.values)

# Wagtail grants page permissions to groups only, so the roles that author in the
# lesson library are mirrored into these groups (the lessons app gives the groups
# their page permissions). Roles stay the one source: only the services below
# change the membership.
ROLE_GROUPS = {Role.TEACHER: "Teachers", Role.METHODOLOGIST: "Methodologists"}


class CityClaimsError(ValueError):
    """The identity provider's claims cannot be turned into a local account."""


@dataclass(frozen=True)
class CityClaims:
    """The parts of the identity provider's claims the platform uses, validated."""

    sub: str
    username: str
    email: str
    first_name: str
    last_name: str
    patronymic: str
    roles: frozenset[str]
    school_ids: tuple[str, ...]
    children_subs: tuple[str, ...]


def _string_list(claims: dict, name: str) -> list[str]:
    value = claims.get(name, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise CityClaimsError(
            f"The claim {name!r} must be a list of non-empty strings."
        )
    return value


def city_claims_parse(
    claims: dict,
    *,
    roles_claim: str,
    schools_claim: str,
    children_claim: str,
    patronymic_claim: str,
) -> CityClaims:
    """Validates raw claims; raises CityClaimsError naming the first problem."""
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub or len(sub) > 255:
        raise CityClaimsError("The claim 'sub' is missing or invalid.")
    roles = frozenset(_string_list(claims, roles_claim))
    if not roles:
        raise CityClaimsError("The account has no role on the school platform.")
    unknown = roles - KNOWN_ROLES
    if unknown:
        raise CityClaimsError(f"Unknown role(s): {', '.join(sorted(unknown))}.")
    return CityClaims(
        sub=sub,
        username=str(claims.get("preferred_username") or sub)[:150],
        email=str(claims.get("email") or "")[:254],
        first_name=str(claims.get("given_name") or "")[:150],
        last_name=str(claims.get("family_name") or "")[:150],
        patronymic=str(claims.get(patronymic_claim) or "")[:150],
        roles=roles,
        school_ids=tuple(_string_list(claims, schools_claim)),
        children_subs=tuple(_string_list(claims, children_claim)),
    )


@transaction.atomic
def city_account_sync(*, issuer: str, claims: CityClaims) -> User:
    """Creates or updates the local user for a city account.

    Roles, schools and family links are replaced by what the claims say, so a link
    removed at the provider is removed here. Nothing is written unless every school
    named in the claims exists. Children not yet known locally are skipped (they
    appear when they first sign in or come with a roster).
    """
    schools = list(School.objects.filter(external_id__in=claims.school_ids))
    missing = set(claims.school_ids) - {school.external_id for school in schools}
    if missing:
        raise CityClaimsError(f"Unknown school id(s): {', '.join(sorted(missing))}.")

    user = (
        User.objects.select_for_update()
        .filter(oidc_issuer=issuer, oidc_sub=claims.sub)
        .first()
    )
    if user is None:
        user = User(
            oidc_issuer=issuer, oidc_sub=claims.sub, username=_free_username(claims)
        )
        user.set_unusable_password()
    user.email = claims.email
    user.first_name = claims.first_name
    user.last_name = claims.last_name
    user.patronymic = claims.patronymic
    user.save()

    user_roles_set(user=user, roles=claims.roles)
    user.schools.set(schools)
    children = User.objects.filter(
        oidc_issuer=issuer, oidc_sub__in=claims.children_subs
    )
    if Role.PARENT in claims.roles:
        guardianships_set(parent=user, pupils=children)
    else:
        guardianships_set(parent=user, pupils=[])
    return user


def _free_username(claims: CityClaims) -> str:
    base = claims.username
    if not User.objects.filter(username=base).exists():
        return base
    return f"{base[:120]}-{claims.sub[-24:]}"


def user_roles_set(*, user: User, roles: Iterable[str]) -> None:
    wanted = set(roles)
    RoleGrant.objects.filter(user=user).exclude(role__in=wanted).delete()
    existing = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    RoleGrant.objects.bulk_create(
        [RoleGrant(user=user, role=role) for role in sorted(wanted - existing)]
    )
    user.__dict__.pop("role_set", None)
    _role_groups_sync(roles_by_user={user.pk: wanted}, managed=KNOWN_ROLES)


def role_groups() -> dict[str, Group]:
    """The group mirroring each role in ROLE_GROUPS, created on first use."""
    return {
        role: Group.objects.get_or_create(name=name)[0]
        for role, name in ROLE_GROUPS.items()
    }


def _role_groups_sync(
    *, roles_by_user: dict[int, set[str]], managed: frozenset[str]
) -> None:
    groups = {role: g for role, g in role_groups().items() if role in managed}
    if not groups:
        return
    membership = User.groups.through
    held = membership.objects.filter(
        user_id__in=roles_by_user, group__in=groups.values()
    ).values_list("pk", "user_id", "group_id")
    wanted = {
        (user_id, group.pk)
        for user_id, roles in roles_by_user.items()
        for role, group in groups.items()
        if role in roles
    }
    stale = [pk for pk, user_id, group_id in held if (user_id, group_id) not in wanted]
    membership.objects.filter(pk__in=stale).delete()
    have = {(user_id, group_id) for _, user_id, group_id in held}
    membership.objects.bulk_create(
        [membership(user_id=u, group_id=g) for u, g in sorted(wanted - have)],
        batch_size=1000,
    )


def guardianships_set(*, parent: User, pupils: Iterable[User]) -> None:
    wanted = {pupil.pk for pupil in pupils}
    Guardianship.objects.filter(parent=parent).exclude(pupil_id__in=wanted).delete()
    existing = set(
        Guardianship.objects.filter(parent=parent).values_list("pupil_id", flat=True)
    )
    Guardianship.objects.bulk_create(
        [Guardianship(parent=parent, pupil_id=pk) for pk in sorted(wanted - existing)]
    )


def user_roles_set_many(
    *, roles_by_user: dict[int, set[str]], managed: frozenset[str] = KNOWN_ROLES
) -> tuple[int, int]:
    """user_roles_set for many people at once, in three queries (roster imports).

    Each person's roles among `managed` become exactly the given ones; roles
    outside `managed` are kept. Returns (granted, revoked).
    """
    grants = list(
        RoleGrant.objects.filter(
            user_id__in=roles_by_user, role__in=managed
        ).values_list("pk", "user_id", "role")
    )
    stale = [pk for pk, user_id, role in grants if role not in roles_by_user[user_id]]
    held = {(user_id, role) for _, user_id, role in grants}
    RoleGrant.objects.filter(pk__in=stale).delete()
    new = [
        RoleGrant(user_id=user_id, role=role)
        for user_id, roles in roles_by_user.items()
        for role in sorted(roles & managed)
        if (user_id, role) not in held
    ]
    RoleGrant.objects.bulk_create(new, batch_size=1000)
    _role_groups_sync(roles_by_user=roles_by_user, managed=managed)
    return len(new), len(stale)


def guardianships_set_many(
    *, pupils_by_parent: dict[int, set[int]], replacing: set[int] | None = None
) -> tuple[int, int]:
    """guardianships_set for many parents at once, in three queries (roster imports).

    Adds every given link. A parent's links to pupils in `replacing` that are not
    given are removed; links to other pupils (say, a child in a school the roster
    does not cover) are kept. Returns (added, removed).
    """
    replacing = replacing or set()
    links = list(
        Guardianship.objects.filter(parent_id__in=pupils_by_parent).values_list(
            "pk", "parent_id", "pupil_id"
        )
    )
    stale = [
        pk
        for pk, parent_id, pupil_id in links
        if pupil_id in replacing and pupil_id not in pupils_by_parent[parent_id]
    ]
    held = {(parent_id, pupil_id) for _, parent_id, pupil_id in links}
    Guardianship.objects.filter(pk__in=stale).delete()
    new = [
        Guardianship(parent_id=parent_id, pupil_id=pupil_id)
        for parent_id, pupils in pupils_by_parent.items()
        for pupil_id in sorted(pupils)
        if (parent_id, pupil_id) not in held
    ]
    Guardianship.objects.bulk_create(new, batch_size=1000)
    return len(new), len(stale)


def city_session_record(*, user: User, session_key: str, sid: str) -> CitySession:
    session, _ = CitySession.objects.update_or_create(
        session_key=session_key, defaults={"user": user, "sid": sid}
    )
    return session


def logout_token_use(*, issuer: str, jti: str, expires_at) -> bool:
    """Records a back-channel logout token as acted on; False when it already
    was (a replay). Forgets tokens past their expiry, which are refused anyway."""
    UsedLogoutToken.objects.filter(expires_at__lt=timezone.now()).delete()
    try:
        with transaction.atomic():
            UsedLogoutToken.objects.create(
                issuer=issuer, jti=jti[:255], expires_at=expires_at
            )
    except IntegrityError:
        return False
    return True


def city_sessions_end(*, issuer: str, sub: str | None, sid: str | None) -> int:
    """Ends local sessions for a provider session (sid) or a whole account (sub).

    Returns how many sessions ended. Used by back-channel logout.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = CitySession.objects.filter(user__oidc_issuer=issuer)
    if sid:
        sessions = sessions.filter(sid=sid)
    if sub:
        sessions = sessions.filter(user__oidc_sub=sub)
    ended = list(sessions.values_list("session_key", "user_id"))
    for session_key, _user_id in ended:
        store(session_key=session_key).delete()
    sessions.delete()
    access_changed(
        user_ids={user_id for _key, user_id in ended},
        ended_sessions=[key for key, _user_id in ended],
    )
    return len(ended)


# --- Notifications


def user_group_name(user_id: int) -> str:
    return f"user.{user_id}"


def broadcast_after_commit(group: str, message: dict) -> None:
    """Sends a channel-layer message once the surrounding transaction commits."""

    def send() -> None:
        async_to_sync(get_channel_layer().group_send)(group, message)

    transaction.on_commit(send)


@transaction.atomic
def notification_send(*, recipients: Iterable[User], text: str) -> list[Notification]:
    """Stores a notification per recipient and pushes it to their open pages."""
    notifications = Notification.objects.bulk_create(
        [Notification(recipient=user, text=text) for user in recipients]
    )
    for notification in notifications:
        broadcast_after_commit(
            user_group_name(notification.recipient_id),
            {
                "type": "notification.created",
                "id": notification.pk,
                "text": notification.text,
                "created_at": (notification.created_at or timezone.now()).isoformat(),
            },
        )
    return notifications


def school_announce(*, school: School, text: str) -> list[Notification]:
    """Notifies every member of a school and the guardians of its pupils."""
    return notification_send(recipients=school_audience(school=school), text=text)


def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def family_group_name(pupil_id: int) -> str:
    """The group of a pupil's open diary pages and their parents' (DESIGN §5)."""
    return f"family.{pupil_id}"


def family_event_send(*, pupil_id: int, kind: str, data: dict) -> None:
    """Tells the pupil's and their parents' open pages that the diary changed.

    Sent after commit; `kind` names what changed ("mark", "attendance",
    "homework"), `data` carries what the page needs to show it.
    """
    message = {"type": "family.event", "kind": kind, "pupil_id": pupil_id, "data": data}

    def send() -> None:
        async_to_sync(get_channel_layer().group_send)(
            family_group_name(pupil_id), message
        )
        # And to the phones of those who turned pushes on (queued here, sent by
        # the push sender: `manage.py push_send`).
        push_services.push_enqueue(pupil_id=pupil_id, kind=kind, data=data)

    transaction.on_commit(send)
