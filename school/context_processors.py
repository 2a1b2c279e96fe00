from django.conf import settings


def platform(request):
    return {"local_login_enabled": settings.LOCAL_LOGIN_ENABLED}
