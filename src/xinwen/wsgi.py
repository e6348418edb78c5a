"""WSGI entry point for gunicorn and other servers: `xinwen.wsgi:application`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinwen.settings")
application = get_wsgi_application()
