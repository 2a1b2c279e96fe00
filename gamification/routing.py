from django.urls import path

from gamification.consumers import ClassPointsConsumer
from gamification.quiz_consumers import QuizConsumer

websocket_urlpatterns = [
    path("ws/quiz/<int:game_id>/", QuizConsumer.as_asgi()),
    # A class's awards, live on its teachers' lesson console (gamification.events).
    path("ws/points/class/<int:class_id>/", ClassPointsConsumer.as_asgi()),
]
