from django.urls import path

from school.consumers import NotificationConsumer
from school.diary.consumers import DiaryConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    path("ws/diary/<int:pupil_id>/", DiaryConsumer.as_asgi()),
]
