"""docker-compose.yml keeps background work moving: every Celery queue has a worker, reports
have workers of their own, Redis keeps its queue across restarts, and a backup runs daily."""

from django.conf import settings

from .test_deployment_files import _command, _mounts, compose  # noqa: F401 - a fixture


def _queues(words: list[str]) -> set[str]:
    if "-Q" in words:
        return set(words[words.index("-Q") + 1].split(","))
    return {queue.name for queue in settings.CELERY_TASK_QUEUES}  # no -Q: every queue


def _workers(compose) -> dict[str, set[str]]:  # noqa: F811
    return {
        name: _queues(_command(service))
        for name, service in compose["services"].items()
        if "worker" in _command(service)[:4]
    }


def test_every_queue_has_a_worker_and_reports_have_their_own(compose):  # noqa: F811
    workers = _workers(compose)
    consumed = set().union(*workers.values())
    assert {queue.name for queue in settings.CELERY_TASK_QUEUES} <= consumed
    report_workers = [queues for queues in workers.values() if "reports" in queues]
    assert report_workers and all(queues == {"reports"} for queues in report_workers)
    assert any("digests" in queues for queues in workers.values())


def test_redis_keeps_queued_work_across_a_restart(compose):  # noqa: F811
    words = _command(compose["services"]["redis"])
    assert words[words.index("--appendonly") + 1] == "yes"


def test_a_backup_runs_every_day_into_its_own_volume(compose):  # noqa: F811
    backup = compose["services"]["backup"]
    script = " ".join(_command(backup))
    assert "manage.py backup" in script and "sleep 86400" in script
    assert "backups" in _mounts(backup).get("/backups", "")
    assert "/data/media" in _mounts(backup)  # evidence files are in the backup
