from django.urls import path

from whiteboard import attendance_views, export_views, image_views, views

app_name = "whiteboard"

urlpatterns = [
    path("", views.live_join, name="live_join"),
    path("start/<int:lesson_id>/", views.live_start, name="live_start"),
    path("<int:session_id>/", views.live_room, name="live_room"),
    path("<int:session_id>/console/", views.live_console, name="live_console"),
    path("<int:session_id>/pen/", views.live_pen, name="live_pen"),
    path("<int:session_id>/end/", views.live_end, name="live_end"),
    path(
        "<int:session_id>/attendance/",
        attendance_views.live_attendance,
        name="live_attendance",
    ),
    # Boards, also after the live lesson: images on them, and what was drawn.
    path(
        "boards/<int:board_id>/images/",
        image_views.board_image_upload,
        name="board_image_upload",
    ),
    path(
        "boards/<int:board_id>/images/<int:image_id>/",
        image_views.board_image,
        name="board_image",
    ),
    path("boards/<int:board_id>/", export_views.board_view, name="board_view"),
    path(
        "boards/<int:board_id>/pages/<str:page_id>.png",
        export_views.board_page_png,
        name="board_page_png",
    ),
    path(
        "boards/<int:board_id>/board.pdf",
        export_views.board_pdf,
        name="board_pdf",
    ),
]
