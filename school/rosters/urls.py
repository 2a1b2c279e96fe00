from django.urls import path

from school.rosters import views

urlpatterns = [
    path("import/", views.roster_upload, name="roster_upload"),
    path("export/", views.roster_download, name="roster_download"),
]
