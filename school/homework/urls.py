from django.urls import path

from school.homework import views

urlpatterns = [
    path("", views.index, name="homework_index"),
    path("lessons/<int:lesson_id>/", views.lesson, name="homework_lesson"),
    path("<int:homework_id>/", views.detail, name="homework_detail"),
    path("<int:homework_id>/done/", views.done, name="homework_done"),
    path(
        "<int:homework_id>/submissions/",
        views.submissions,
        name="homework_submissions",
    ),
    path(
        "submissions/<int:submission_id>/review/",
        views.review,
        name="homework_review",
    ),
    path("pupils/<int:pupil_id>/", views.child, name="homework_child"),
    path(
        "attachments/<int:attachment_id>/",
        views.attachment,
        name="homework_attachment",
    ),
    path("files/<int:file_id>/", views.answer_file, name="homework_file"),
    path(
        "files/<int:file_id>/thumbnail/",
        views.answer_thumbnail,
        name="homework_thumbnail",
    ),
]
