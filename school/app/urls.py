from django.urls import path

from school.app import views

urlpatterns = [
    path("favicon.ico", views.favicon, name="favicon"),
    path("icons/<int:size>.png", views.icon, name="app_icon"),
    path(
        "icons/<int:size>-maskable.png",
        views.icon,
        {"maskable": True},
        name="app_icon_maskable",
    ),
]
