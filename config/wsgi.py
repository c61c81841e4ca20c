import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
from config.startup import WORKER_BOOT_ERROR, stop_on_problems

# Any WSGI server: every missing or invalid setting at once, instead of pages failing later.
stop_on_problems(serving=True, exit_code=WORKER_BOOT_ERROR)
application = get_wsgi_application()
