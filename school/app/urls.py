from django.urls import path

from school.app import views

urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="app_manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
    path("help/", views.help_page, name="help"),
    path("tour/done/", views.tour_done, name="tour_done"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("icons/<int:size>.png", views.icon, name="app_icon"),
    path(
        "icons/<int:size>-maskable.png",
        views.icon,
        {"maskable": True},
        name="app_icon_maskable",
    ),
]
