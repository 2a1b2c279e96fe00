from django.urls import path, re_path

from school.timetable import views

app_name = "timetable"

urlpatterns = [
    path("", views.index, name="index"),
    path("class/<int:class_id>/", views.class_week, name="class_week"),
    path("class/<int:class_id>/generate/", views.generate, name="generate"),
    path("my/", views.teacher_week, name="my_week"),
    path("lessons/<int:lesson_id>/topic/", views.lesson_topic, name="lesson_topic"),
    path("lessons/<int:lesson_id>/", views.lesson_manage, name="lesson_manage"),
    path("calendar/", views.feeds, name="feeds"),
    path("calendar/new/", views.feed_create, name="feed_create"),
    path("calendar/<int:feed_id>/revoke/", views.feed_revoke, name="feed_revoke"),
    re_path(
        r"^calendar/(?P<token>[A-Za-z0-9_-]{16,64})\.ics$",
        views.feed_download,
        name="feed",
    ),
]
