from django.apps import AppConfig


class LessonsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lessons"

    def ready(self):
        from lessons.images import pillow_limits_apply

        pillow_limits_apply()
