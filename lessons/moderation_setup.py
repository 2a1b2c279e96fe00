"""Sets up library moderation: authors' groups, their permissions, the workflow."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from lessons.models import LibraryIndexPage
from lessons.moderation import SubjectMethodologistTask
from school.services import role_groups

# "add" only: Wagtail lets the owner of a page edit it under the "add" permission,
# so authors change their own lessons and nobody else's; no "publish".
AUTHOR_PAGE_PERMISSIONS = ("add_page",)
AUTHOR_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
)


@transaction.atomic
def library_moderation_setup(*, library: LibraryIndexPage) -> Workflow:
    """Gives the authors' groups their permissions and puts the library under review.

    Idempotent: run it again and nothing changes. Returns the workflow.
    """
    collection = Collection.get_first_root_node()
    for group in role_groups().values():
        _author_permissions_grant(group=group, library=library, collection=collection)
    workflow = _moderation_workflow()
    WorkflowPage.objects.update_or_create(page=library, defaults={"workflow": workflow})
    return workflow


def _author_permissions_grant(*, group: Group, library, collection) -> None:
    for codename in AUTHOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=library,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    for app_label, codename in AUTHOR_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            ),
        )


def _moderation_workflow() -> Workflow:
    # Found by its task, not its name: the name is translated at creation.
    task = SubjectMethodologistTask.objects.first()
    if task is None:
        task = SubjectMethodologistTask.objects.create(
            name=gettext("Review by a methodologist of the subject")
        )
    workflow = Workflow.objects.filter(workflow_tasks__task=task).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=gettext("Library moderation"))
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow
