"""gunicorn settings: `gunicorn -c config/gunicorn.py config.wsgi`. Values from the environment."""

import os

import gunicorn.http.wsgi

# gunicorn names itself in a Server header on every answer and has no setting to stop it; the
# name helps only someone looking for a known weakness. Behind the proxy it is replaced anyway.
gunicorn.http.wsgi.SERVER = "-"

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
# Workers are forked from a master that has loaded Django already: a recycled worker is ready
# at once instead of booting Django while requests wait for it.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() == "true"
# The portal writes its own JSON request log line; gunicorn's access log would say it twice.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
