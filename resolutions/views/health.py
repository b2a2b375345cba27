"""/healthz for load balancers and monitoring, without login: 200 while the database answers
(the broker's state is in the body: pages still work without it), 503 when it does not."""

import os
from pathlib import Path

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unreachable"
    return "ok"


def broker_state() -> str:
    """Whether background work can be queued now: a Redis PING, or the embedded broker's folder."""
    url = settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://")):
        try:
            client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
            client.ping()
        except (redis.RedisError, OSError):
            return "unreachable"
        return "ok"
    if url.startswith("filesystem://"):
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        return "ok" if os.access(folder, os.W_OK) else "unreachable"
    return "unknown"


@login_not_required
@never_cache
@require_GET
def healthz(request):
    database, broker = database_state(), broker_state()
    if database != "ok":
        status, code = "unavailable", 503
    elif broker == "unreachable":
        status, code = "degraded", 200  # pages answer; background work waits
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "database": database, "broker": broker}, status=code)
