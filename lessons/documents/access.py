"""Who may download a library document.

Authors (teachers, methodologists) browse the whole library, so they may
download any document in it. Everyone else gets a document only through a
lesson they may open: one attached to a lesson of a class they are a pupil of,
a parent of a pupil of, or administer. Wagtail's reference index says which
pages use the document.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import Http404
from wagtail.documents import get_document_model
from wagtail.models import Page, ReferenceIndex

from lessons.access import can_use_library
from lessons.models import LessonPlan
from school import access
from school.models import Enrolment, Role, User


def _pages_using(document) -> list[int]:
    page_type = ContentType.objects.get_for_model(Page)
    object_ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    return [int(object_id) for object_id in object_ids if object_id.isdigit()]


def _classes_seen_through_lessons(user: User) -> Q:
    """Classes whose lessons this person opens: their own, their children's,
    their schools' (a filter on LessonPlan rows)."""
    current = Enrolment.objects.current()
    seen = Q(lesson__class_group__school__in=access.administered_schools(user))
    if user.has_role(Role.PUPIL):
        own = current.filter(pupil=user)
        seen |= Q(lesson__class_group__in=own.values("class_group"))
    if user.has_role(Role.PARENT):
        children = current.filter(pupil__guardians__parent=user)
        seen |= Q(lesson__class_group__in=children.values("class_group"))
    return seen


def can_download_document(user: User, document) -> bool:
    if not access.is_signed_in(user):
        return False
    if can_use_library(user):
        return True
    pages = _pages_using(document)
    return (
        bool(pages)
        and LessonPlan.objects.usable()
        .filter(page_id__in=pages)
        .filter(_classes_seen_through_lessons(user))
        .exists()
    )


def get_document_for_user(user: User, document_id: int, filename: str):
    """The document with this id and file name, if this person may download it;
    Http404 otherwise (a stranger cannot tell it from a missing one)."""
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None or document.filename != filename:
        raise Http404("No such document.")
    if not can_download_document(user, document):
        raise Http404("No such document.")
    return document
