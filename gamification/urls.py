from django.urls import path  # noqa: F401 (the helpers add their paths here)

app_name = "gamification"

urlpatterns = []
