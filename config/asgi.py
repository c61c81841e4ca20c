import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
from config.startup import WORKER_BOOT_ERROR, stop_on_problems

stop_on_problems(serving=True, exit_code=WORKER_BOOT_ERROR)
application = get_asgi_application()
