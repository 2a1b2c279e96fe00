from django.urls import include, path

from lessons import views

app_name = "lessons"

urlpatterns = [
    path("", views.library_index, name="library"),
    path("lessons/<int:page_id>/", views.library_lesson, name="library_lesson"),
    path("lessons/<int:page_id>/copy/", views.library_copy, name="library_copy"),
    path("plan/<int:lesson_id>/", views.plan, name="plan"),
    path("plan/<int:lesson_id>/attach/", views.plan_attach, name="plan_attach"),
    path("plan/<int:lesson_id>/detach/", views.plan_detach, name="plan_detach"),
    path("plan/<int:lesson_id>/homework/", views.plan_homework, name="plan_homework"),
    path("plan/<int:lesson_id>/results/", views.plan_results, name="plan_results"),
    path(
        "plan/<int:lesson_id>/quiz-game/", views.plan_quiz_game, name="plan_quiz_game"
    ),
    path(
        "lessons/<int:page_id>/for/<int:lesson_id>/",
        views.pupil_lesson,
        name="pupil_lesson",
    ),
    path(
        "lessons/<int:page_id>/for/<int:lesson_id>/practice/<str:block_id>/",
        views.practice_submit,
        name="practice_submit",
    ),
    path("", include("lessons.h5p.urls")),
]
