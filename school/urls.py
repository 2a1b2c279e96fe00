from django.urls import include, path

from school import views
from school.oidc import BackChannelLogoutView

urlpatterns = [
    path("timetable/", include("school.timetable.urls")),
    path("gradebook/", include("school.gradebook.urls")),
    path("attendance/", include("school.attendance.urls")),
    path("homework/", include("school.homework.urls")),
    path("diary/", include("school.diary.urls")),
    path("rosters/", include("school.rosters.urls")),
    path("", include("school.app.urls")),
    path("notifications/push/", include("school.push.urls")),
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("classes/<int:class_id>/", views.class_detail, name="class_detail"),
    path("pupils/<int:pupil_id>/", views.pupil_detail, name="pupil_detail"),
    path(
        "schools/<int:school_id>/announce/",
        views.school_announce,
        name="school_announce",
    ),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path(
        "oidc/backchannel-logout/",
        BackChannelLogoutView.as_view(),
        name="oidc_backchannel_logout",
    ),
]
