# Production image: Python 3.12 slim, non-root, static files and translations built in.
FROM python:3.12-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 portal

WORKDIR /app
# The locked versions with their hashes first: this layer stays cached while only code changes.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY pyproject.toml manage.py ./
COPY config ./config
COPY core ./core
COPY profiles ./profiles
COPY consent ./consent
COPY notifications ./notifications
COPY templates ./templates
COPY static ./static
COPY locale ./locale
# Editable, so settings find templates, static and locale beside the code in /app; the
# dependencies are in already, as locked.
RUN pip install --no-deps -e .

# Build-time only values: collectstatic and compilemessages need settings to load, nothing more.
RUN DJANGO_DEBUG=true python manage.py collectstatic --no-input -v0 \
 && DJANGO_DEBUG=true python manage.py compilemessages -v0 \
 && chown -R portal:portal /app

USER portal

# --- The task worker: the same image, a container of its own beside the web one ---------------
# docker build --target worker -t portal-worker .   Or run the default (web) image with the command
# `python manage.py run_worker` and --health-cmd "python manage.py worker_health".
# It waits for a database that is gone and goes on by itself (manage.py run_worker); run it with
# a restart policy (restart: unless-stopped) for the rare exit. The health check reads the
# worker's heartbeat row in the database: unhealthy when no worker on this machine gave a sign
# of life within WORKER_ORPHAN_AFTER seconds, or the database cannot be reached.
FROM base AS worker
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["python", "manage.py", "worker_health"]
CMD ["python", "manage.py", "run_worker"]

# --- The web process: gunicorn (the default target) --------------------------------------------
FROM base AS web
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
