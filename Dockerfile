# Production image for the commitment tracker: gunicorn by default; the same image runs the
# Celery worker, Celery beat and the one-shot migrations (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The font the PDF reports are typeset in (Typst, a wheel, needs no system library), and
# pg_dump for `manage.py backup`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-dejavu-core \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 tracker \
    && useradd --system --uid 10001 --gid tracker --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin tracker

WORKDIR /app

# Dependencies in their own layer, so that a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The project installs only the tracker and resolutions packages; templates/, static/ and
# manage.py live next to them, so the whole tree is kept in /app and run from there.
# PYTHONPATH makes /app, not the installed copy, the code that runs (settings find
# templates/ and static/ relative to their own file).
COPY . .
RUN pip install --no-cache-dir . \
    && rm -rf build ./*.egg-info

ENV PYTHONPATH=/app \
    VAR_DIR=/app/var \
    MEDIA_ROOT=/data/media

# Hashed, compressed static files, built once into the image and served by whitenoise. The
# settings refuse DEBUG off without a secret and hosts: these values exist for this step only.
# Importing the settings without a broker creates var/celery/; it is not wanted in the image.
# Code and static files stay root-owned; the app user may write only var/ and the media folder.
RUN DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=localhost STATIC_MANIFEST=true \
        python manage.py collectstatic --noinput \
    && rm -rf /app/var/celery \
    && mkdir -p /data/media \
    && chown tracker:tracker /app/var /data/media

# The tracker user, by number so that an orchestrator can verify it is not root.
USER 10001:10001

EXPOSE 8000

CMD ["gunicorn", "tracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
