from django.urls import path

from school.diary import views

app_name = "diary"

urlpatterns = [
    path("", views.diary_home, name="home"),
    path("<int:pupil_id>/", views.week, name="week"),
    path("<int:pupil_id>/days/<str:date>/", views.day, name="day"),
    path("<int:pupil_id>/summary/", views.term_summary, name="summary"),
]
