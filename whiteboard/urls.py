from django.urls import path

from whiteboard import views

app_name = "whiteboard"

urlpatterns = [
    path("", views.live_join, name="live_join"),
    path("start/<int:lesson_id>/", views.live_start, name="live_start"),
    path("<int:session_id>/", views.live_room, name="live_room"),
    path("<int:session_id>/console/", views.live_console, name="live_console"),
    path("<int:session_id>/pen/", views.live_pen, name="live_pen"),
    path("<int:session_id>/end/", views.live_end, name="live_end"),
]
