# The rules' own test (`semgrep --test .semgrep/`): each `ruleid:` line must be
# found, each `ok:` line must not.
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt

from school.models import User


def view(request, pupil_id):
    # ruleid: protected-row-loaded-outside-access
    User.objects.get(pk=pupil_id)
    # ruleid: protected-row-loaded-outside-access
    User.objects.filter(pk=pupil_id).first()
    # ruleid: protected-row-loaded-outside-access
    User.objects.get(public_id=request.GET["award"])
    # ruleid: protected-row-loaded-outside-access
    User.objects.select_related("school").filter(code=request.GET["code"]).first()
    # ok: protected-row-loaded-outside-access
    User.objects.filter(pk__in=[pupil_id]).exists()
    # ok: protected-row-loaded-outside-access
    User.objects.get(username=request.user.username)
    # ruleid: mark-safe
    return mark_safe(request.GET["html"])


# ruleid: csrf-exempt
@csrf_exempt
def hook(request):
    return None
