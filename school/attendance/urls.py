from django.urls import path

from school.attendance import views

app_name = "attendance"

urlpatterns = [
    path("", views.today, name="today"),
    path("lessons/<int:lesson_id>/", views.register, name="register"),
    path("notices/", views.notices, name="notices"),
]
