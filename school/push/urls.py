from django.urls import path

from school.push import views

urlpatterns = [
    path("", views.push_settings, name="push_settings"),
    path("subscription/", views.subscription_add, name="push_subscription_add"),
    path(
        "subscription/remove/",
        views.subscription_remove,
        name="push_subscription_remove",
    ),
]
