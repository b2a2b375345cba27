"""Reading large results with a server-side cursor that stays valid.

`.iterator()` on PostgreSQL reads through a server-side cursor. Outside a transaction Django
declares it WITH HOLD and fetches from it in later statements; PgBouncer in transaction mode may
send each of those to a different server connection, where the cursor does not exist. Inside a
transaction the client keeps its server connection until the end, so the cursor is always
there. Our own large reads (the streamed CSV) go through `in_one_transaction`; Django's own
uses (choice fields rendering their options) do not, which is why a deployment behind a
transaction-pooling PgBouncer also sets DISABLE_SERVER_SIDE_CURSORS=true (settings.py).
"""

from collections.abc import Iterable, Iterator

from django.db import transaction


def in_one_transaction(rows: Iterable) -> Iterator:
    """Yields `rows` with a transaction open from the first row asked for until the last one
    (or until the reader stops: a client that goes away rolls it back, as nothing was
    written). `rows` must be lazy, e.g. a generator over `.iterator()`."""
    if transaction.get_connection().in_atomic_block:
        # Already in one (a test, or a caller's own block): the cursor lives in it, and a
        # nested block left open by a reader that stopped half way would unbalance it.
        yield from rows
        return
    with transaction.atomic():
        yield from rows
