import os

from django.core.wsgi import get_wsgi_application

# Production unless told otherwise: development settings (DEBUG, a public
# SECRET_KEY, password login) are chosen explicitly, as `make run` does.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
