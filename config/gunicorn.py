"""gunicorn settings: `gunicorn -c config/gunicorn.py config.wsgi`. Values from the environment."""

import os

import gunicorn.http.wsgi

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from config.env import env
from config.startup import stop_on_problems

bind = env.str("GUNICORN_BIND", default="0.0.0.0:8000")
workers = env.int("GUNICORN_WORKERS", default=3)
# Threads, so that a request waiting on the network (the login broker, a register, the SMS
# gateway: each up to its timeout) holds one thread and not the whole worker; the others go on
# answering. Django gives every thread its own database connections, and what the portal keeps
# in module state is either read-only after start-up or behind a lock (profiles/registers/
# access.py). Four threads: 3 x 4 = 12 requests at once per process, at most two database
# connections each (README, "Operations"), while CPU-bound work shares one core per worker.
worker_class = "gthread"
threads = env.int("GUNICORN_THREADS", default=4)
# A worker takes a connection only when one of its threads is free. gthread would otherwise go on
# accepting (up to 1,000) and queue them behind busy threads: a /healthz could wait behind four
# logins at a slow broker in one worker while another worker sat idle. Without a free connection
# slot for idle keep-alive connections, keep-alive is off, as it was with sync workers; the
# reverse proxy keeps the connections to browsers.
worker_connections = threads
keepalive = 0
timeout = env.int("GUNICORN_TIMEOUT", default=30)
graceful_timeout = 20
max_requests = 2000
max_requests_jitter = 200
# Workers are forked from a master that has loaded Django already: a recycled worker is ready
# at once instead of booting Django while requests wait for it.
preload_app = env.bool("GUNICORN_PRELOAD", default=True)
# The portal writes its own JSON request log line; gunicorn's access log would say it twice.
accesslog = None
errorlog = "-"
loglevel = env.str("GUNICORN_LOG_LEVEL", default="warning")
forwarded_allow_ips = env.str("GUNICORN_FORWARDED_ALLOW_IPS", default="127.0.0.1")

# gunicorn names itself in a Server header on every answer and has no setting to stop it; the
# name helps only someone looking for a known weakness. Behind the proxy it is replaced anyway.
gunicorn.http.wsgi.SERVER = "-"

# In the master, before it binds or forks: every missing or invalid setting at once (these
# above included), and no worker that boots only to fail and be started again.
stop_on_problems(serving=True)
