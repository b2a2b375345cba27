"""What a worker spends on reminder digests for many people.

Creates `count` recipients (mostly delegation editors spread over the 32 delegations, some
secretaries, as in the Assembly), runs the real `send_digest` task body for each in this process
(`Task.apply`: no broker, the same code a worker runs) with e-mail kept in memory, and counts
time and queries. Everything it creates is rolled back.
"""

import time

from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from resolutions import digests
from resolutions.models import Delegation, User
from resolutions.tasks import send_digest

PREFIX = "bench-digest-"


class _Rollback(Exception):
    pass


def measure_digests(count: int) -> dict:
    result = {}
    try:
        with transaction.atomic():
            users = _recipients(count)
            now = timezone.now()
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                from django.core import mail

                mail.outbox = []
                outcomes: dict[str, int] = {}
                # Counted by a wrapper, not CaptureQueriesContext: Django's query log keeps
                # only the last 9,000, so 1,000 people at ten queries each read as nine.
                queries = []
                # How many people made how many queries: the first editor of a delegation
                # and the others make the same number; a secretary one more.
                per_person: dict[int, int] = {}
                with connection.execute_wrapper(_counter(queries)):
                    started = time.perf_counter()
                    for user in users:
                        before = len(queries)
                        period = digests.period_key("weekly", digests.local_date(now))
                        outcome = send_digest.apply(args=(user.pk, period)).get()
                        outcomes[outcome] = outcomes.get(outcome, 0) + 1
                        made = len(queries) - before
                        per_person[made] = per_person.get(made, 0) + 1
                    seconds = time.perf_counter() - started
                result = {
                    "users": count,
                    "seconds": round(seconds, 2),
                    "ms_per_user": round(seconds * 1000 / count, 2),
                    "queries": len(queries),
                    "queries_per_user": round(len(queries) / count, 2),
                    "max_queries_per_user": max(per_person),
                    "people_by_queries": {str(k): v for k, v in sorted(per_person.items())},
                    "outcomes": outcomes,
                    "messages": len(mail.outbox),
                    "sample_subject": mail.outbox[0].subject if mail.outbox else "",
                }
            raise _Rollback
    except _Rollback:
        pass
    return result


def _counter(queries: list):
    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    return count


def _recipients(count: int) -> list[User]:
    delegations = list(Delegation.objects.order_by("member__country"))
    rows = []
    for n in range(count):
        secretary = n % 10 == 9  # one in ten
        user = User(
            username=f"{PREFIX}{n}",
            email=f"{PREFIX}{n}@example.org",
            role=User.Role.SECRETARY if secretary else User.Role.EDITOR,
            delegation=None if secretary else delegations[n % len(delegations)],
        )
        user.set_unusable_password()
        rows.append(user)
    return User.objects.bulk_create(rows)
