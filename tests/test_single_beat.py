"""Exactly one beat: two `celery beat` processes started by mistake against the same Redis send
the periodic tasks once, not twice (celery-redbeat's lock), and when the beat that holds the
lock dies the other one takes over. Real processes and a private Redis; no worker, so every
message the beats send stays in the queue to be counted."""

import json
import os
import sys
import time

import pytest
import redis

from .services import REDIS_SERVER, Redis, Service, missing

SWEEP = "resolutions.tasks.sweep_digests"
INTERVAL = 1  # DIGEST_SWEEP_SECONDS in this test
LOCK_SECONDS = 4


@pytest.fixture
def private_redis(tmp_path):
    if missing(REDIS_SERVER):
        pytest.skip(f"redis-server is not installed ({REDIS_SERVER})")
    server = Redis(tmp_path)
    yield server
    server.stop()


def start_beat(name: str, tmp_path, redis_url: str) -> Service:
    var = tmp_path / f"var-{name}"
    var.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}",
        "VAR_DIR": str(var),
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "DIGEST_SWEEP_SECONDS": str(INTERVAL),
        "BEAT_MAX_LOOP_SECONDS": "1",
        "BEAT_LOCK_SECONDS": str(LOCK_SECONDS),
    }
    return Service(
        name,
        [sys.executable, "-m", "celery", "-A", "tracker", "beat", "--loglevel", "INFO"],
        tmp_path / f"{name}.log",
        env=env,
    )


def sweeps_sent(client) -> int:
    """Sweep messages waiting in every queue (no worker takes them)."""
    count = 0
    for key in client.scan_iter(_type="list"):
        for raw in client.lrange(key, 0, -1):
            if json.loads(raw).get("headers", {}).get("task") == SWEEP:
                count += 1
    return count


def sends(beat: Service) -> int:
    return beat.output().count(f"Sending due task digest-sweep ({SWEEP})")


def wait_until(condition, timeout: float, beats):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "\n".join(b.output()[-3000:] for b in beats)
        time.sleep(0.2)


def test_two_beats_send_each_periodic_task_once_and_the_second_takes_over(private_redis, tmp_path):
    client = redis.Redis.from_url(private_redis.url)
    first = start_beat("beat-1", tmp_path, private_redis.url)
    beats = [first]
    try:
        wait_until(lambda: "beat: Acquired lock" in first.output(), 30, beats)
        second = start_beat("beat-2", tmp_path, private_redis.url)
        beats.append(second)
        wait_until(lambda: "beat: Starting" in second.output(), 30, beats)

        # Both running for a while: one sends, the other waits on the lock.
        start_count, started = sweeps_sent(client), time.monotonic()
        time.sleep(6)
        window = time.monotonic() - started
        sent = sweeps_sent(client) - start_count
        assert first.running and second.running
        assert "beat: Acquired lock" not in second.output()
        assert sends(second) == 0
        assert 1 <= sent <= window / INTERVAL + 1, (sent, window)

        # The holder dies without releasing its lock: the other takes over once it expires.
        first.stop(grace=0, sig=9)
        died = time.monotonic()
        wait_until(lambda: sends(second) >= 2, LOCK_SECONDS + 15, beats)
        assert "beat: Acquired lock" in second.output()
        took_over = time.monotonic() - died
        assert took_over <= LOCK_SECONDS + 10
        print(f"one beat sent {sent} sweeps in {window:.1f} s; the second took over in "
              f"{took_over:.1f} s")  # fmt: skip
    finally:
        for beat in beats:
            beat.stop(grace=5)
