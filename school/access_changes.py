"""Announcing that a person's access may have shrunk, so their sockets check again.

The rows that grant access (guardianships, enrolments, teaching assignments,
roles, school memberships, the account itself, a class's homeroom teacher) are
written by services, the roster importer and the Wagtail admin. Like a cache,
the sockets' view of them is invalidated from the models' save and delete
signals, so that no write path can forget; bulk writes send no signals, so
the roster import announces to everyone once it commits. Sessions that end
(logout, back-channel logout) announce their person.

Each announcement goes out after the transaction commits, through the channel
layer, so every process hears it (school.socket_access).
"""

import threading
from contextlib import contextmanager

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from school.models import (
    ClassGroup,
    Enrolment,
    Guardianship,
    RoleGrant,
    TeachingAssignment,
    User,
)
from school.socket_access import EVERYONE_GROUP, access_group_name

MESSAGE = {"type": "access.changed"}
_batch = threading.local()


def access_changed(*, user_ids, ended_sessions=()) -> None:
    """After commit, tells these people's open sockets to check their access;
    sockets riding one of `ended_sessions` (session keys) close at once."""
    if getattr(_batch, "depth", 0):
        return
    ids = sorted({int(user_id) for user_id in user_ids if user_id is not None})
    if not ids:
        return
    message = {**MESSAGE, "ended_sessions": [key for key in ended_sessions if key]}

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        for user_id in ids:
            async_to_sync(layer.group_send)(
                access_group_name(user_id), {**message, "user_id": user_id}
            )

    transaction.on_commit(send)


@contextmanager
def access_changes_batched():
    """For bulk writes (a roster import): one announcement to everyone at the
    end instead of one per row."""
    _batch.depth = getattr(_batch, "depth", 0) + 1
    try:
        yield
    finally:
        _batch.depth -= 1
    if not _batch.depth:
        access_changed_for_everyone()


def access_changed_for_everyone() -> None:
    """After commit, tells every open socket to check (after bulk writes)."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(EVERYONE_GROUP, dict(MESSAGE))

    transaction.on_commit(send)


# --- What changes whose access


def _guardianship(instance: Guardianship, **kwargs) -> None:
    access_changed(user_ids=[instance.parent_id])


def _enrolment(instance: Enrolment, **kwargs) -> None:
    if getattr(_batch, "depth", 0):
        return
    # A parent follows the child's class (live lessons, boards) too.
    parents = Guardianship.objects.filter(pupil_id=instance.pupil_id).values_list(
        "parent_id", flat=True
    )
    access_changed(user_ids=[instance.pupil_id, *parents])


def _teaching_assignment(instance: TeachingAssignment, **kwargs) -> None:
    access_changed(user_ids=[instance.teacher_id])


def _role_grant(instance: RoleGrant, **kwargs) -> None:
    access_changed(user_ids=[instance.user_id])


def _membership(instance, **kwargs) -> None:
    access_changed(user_ids=[instance.user_id])


def _class_group(instance: ClassGroup, created: bool = False, **kwargs) -> None:
    # The previous homeroom teacher is not known here; class edits are rare.
    if not created:
        access_changed_for_everyone()


def _account(instance: User, update_fields=None, created: bool = False, **kwargs):
    # A sign-in writes last_login: nothing is lost by that.
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    access_changed(user_ids=[instance.pk])


def _logged_out(sender, request, user, **kwargs) -> None:
    # Sent before the session is flushed: name it, so its sockets need not wait
    # for the row to go.
    if user is not None:
        key = getattr(getattr(request, "session", None), "session_key", None)
        access_changed(user_ids=[user.pk], ended_sessions=[key])


def receivers_connect() -> None:
    """Called once from SchoolConfig.ready()."""
    watched = {
        Guardianship: _guardianship,
        Enrolment: _enrolment,
        TeachingAssignment: _teaching_assignment,
        RoleGrant: _role_grant,
        User.schools.through: _membership,
    }
    for model, receiver in watched.items():
        uid = f"access_changes.{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(receiver, sender=model, dispatch_uid=uid + ".delete")
    post_save.connect(_class_group, sender=ClassGroup, dispatch_uid="access.class")
    post_save.connect(_account, sender=User, dispatch_uid="access_changes.account")
    post_delete.connect(_account, sender=User, dispatch_uid="access_changes.gone")
    user_logged_out.connect(_logged_out, dispatch_uid="access_changes.logout")
