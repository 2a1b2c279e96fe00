"""The action that ends an approved workflow (WAGTAIL_FINISH_WORKFLOW_ACTION).

Kept free of imports: Wagtail loads it while `wagtail.models` is still importing.
"""


def workflow_state_publish(workflow_state, user=None) -> None:
    """WAGTAIL_FINISH_WORKFLOW_ACTION: publishes the revision the reviewers approved.

    Wagtail's default re-checks the last approver's "publish" page permission;
    here the task decides who approves, and a methodologist must not hold
    "publish" (it would let them publish any subject's lessons directly).
    """
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
