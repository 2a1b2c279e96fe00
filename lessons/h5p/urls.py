"""H5P routes, included in lessons.urls (namespace "lessons", under /library/)."""

from django.urls import path

from lessons.h5p import files, player_views, results_views

ACTIVITY = "lessons/<int:page_id>/for/<int:lesson_id>/h5p/<str:block_id>/"
TEACHER_ACTIVITY = "plan/<int:lesson_id>/h5p/<str:block_id>/"

urlpatterns = [
    path("games/", player_views.games, name="h5p_games"),
    path(ACTIVITY, player_views.play, name="h5p_play"),
    path(
        f"{ACTIVITY}statements/", results_views.statement_receive, name="h5p_statement"
    ),
    path(f"{ACTIVITY}state/", results_views.state, name="h5p_state"),
    path("h5p/frame/<uuid:directory>/", player_views.frame, name="h5p_frame"),
    path("h5p/files/<path:path>", files.serve, name="h5p_file"),
    path(f"{TEACHER_ACTIVITY}results/", results_views.results, name="h5p_results"),
    path(f"{TEACHER_ACTIVITY}counts/", results_views.counts_set, name="h5p_counts"),
    path(
        f"{TEACHER_ACTIVITY}gradebook/",
        results_views.gradebook_send,
        name="h5p_gradebook",
    ),
]
