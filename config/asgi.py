import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
from config.startup import stop_on_problems

stop_on_problems(serving=True)
application = get_asgi_application()
