from django.urls import path

from school.gradebook import api, views

app_name = "gradebook"

one = "<int:class_id>/<int:subject_id>/<int:term_id>/"

urlpatterns = [
    path("", views.index, name="index"),
    path(one, views.grid, name="grid"),
    path(f"{one}scale/", views.scale_set, name="scale"),
    path(f"{one}export.xlsx", views.export_xlsx, name="export_xlsx"),
    path(f"{one}export.csv", views.export_csv, name="export_csv"),
    path(f"{one}marks/", api.mark_save, name="mark_save"),
    path(f"{one}marks/remove/", api.mark_remove, name="mark_remove"),
    path(f"{one}attendance/", api.attendance_save, name="attendance_save"),
    path(f"{one}term-mark/", api.term_mark_save, name="term_mark_save"),
    path(f"{one}history/", api.history, name="history"),
]
