"""Wagtail's document routes, by the names Wagtail reverses, with our serving view."""

from django.urls import path
from wagtail.documents.views.serve import authenticate_with_password

from lessons.documents.views import document_download

urlpatterns = [
    path(
        "<int:document_id>/<path:document_filename>",
        document_download,
        name="wagtaildocs_serve",
    ),
    path(
        "authenticate_with_password/<int:restriction_id>/",
        authenticate_with_password,
        name="wagtaildocs_authenticate_with_password",
    ),
]
