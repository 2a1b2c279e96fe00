"""Pages of the school structure: sign-in, role home pages, classes, pupils."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from school import access, selectors, services
from school.app.tour import tour_for
from school.forms import AnnouncementForm


class LoginView(auth_views.LoginView):
    """The sign-in page: the city account first, the local password if enabled."""

    template_name = "school/login.html"
    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        # A signed-in person sent here by a page they may not open (the Wagtail
        # admin does that) would otherwise bounce back and forth forever.
        if request.user.is_authenticated and request.GET.get("next"):
            return render(request, "school/no_access.html", status=403)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_LOGIN_ENABLED:
            raise Http404(_("Password sign-in is switched off; use your city account."))
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        next_url = self.request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={self.request.get_host()}
        ):
            next_url = ""
        context["city_next"] = next_url
        return context


@login_required
def home(request):
    page = selectors.home_page_for(request.user)
    return render(
        request, "school/home.html", {"page": page, "tour": tour_for(request.user)}
    )


@login_required
def class_detail(request, class_id: int):
    class_group = access.get_class_for_user(request.user, class_id)
    context = {
        "class_group": class_group,
        "subjects": selectors.class_subjects_with_teachers(class_group),
        "roster": selectors.class_roster(class_group),
    }
    return render(request, "school/class_detail.html", context)


@login_required
def pupil_detail(request, pupil_id: int):
    pupil = access.get_pupil_for_user(request.user, pupil_id)
    enrolment = selectors.current_enrolment(pupil)
    subjects = (
        selectors.class_subjects_with_teachers(enrolment.class_group)
        if enrolment
        else []
    )
    context = {"pupil": pupil, "enrolment": enrolment, "subjects": subjects}
    return render(request, "school/pupil_detail.html", context)


@login_required
def school_announce(request, school_id: int):
    school = access.get_school_for_admin(request.user, school_id)
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = services.school_announce(school=school, text=form.cleaned_data["text"])
        messages.success(
            request,
            _("The announcement was sent to %(count)d people.") % {"count": len(sent)},
        )
        return redirect("home")
    return render(request, "school/announce.html", {"school": school, "form": form})


@require_POST
@login_required
def notifications_read(request):
    services.notifications_mark_read(user=request.user)
    return redirect("home")
