"""An action's words for search, stored beside it (PostgreSQL only).

Migration 0007 indexed the expression to_tsvector(title || description). A search for common
words walks recent actions through the (updated_at, id) index and tests each one, and with an
expression index each test worked out to_tsvector again (about 20 µs an action). A generated
column holds the result, kept by PostgreSQL itself whenever a title or description changes;
its GIN index replaces the expression's. SQLite searches with icontains and gets nothing here.

Adding a stored column rewrites the table under an exclusive lock: 14 s for the 150,000 actions
of the benchmark's size L, during which saving an action waits.
"""

from django.db import migrations

TABLE = "resolutions_nationalaction"
WORDS = """to_tsvector('english'::regconfig, COALESCE("title", '') || ' ' """ + (
    """|| COALESCE("description", ''))"""
)


def add_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'ALTER TABLE "{TABLE}" ADD COLUMN IF NOT EXISTS "search_document" tsvector '
        f"GENERATED ALWAYS AS ({WORDS}) STORED"
    )
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "search_action_document" ON "{TABLE}" '
        'USING gin ("search_document")'
    )
    schema_editor.execute('DROP INDEX IF EXISTS "search_action_text"')
    # The rewritten table has no visibility map: until a vacuum, the review queue's and the
    # dashboard's index-only scans visit every row (the queue's count took 17 ms, not 2.5).
    schema_editor.execute(f'VACUUM (ANALYZE) "{TABLE}"')


def drop_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "search_action_text" ON "{TABLE}" USING gin ({WORDS})'
    )
    schema_editor.execute(f'ALTER TABLE "{TABLE}" DROP COLUMN IF EXISTS "search_document"')


class Migration(migrations.Migration):
    atomic = False  # VACUUM runs outside a transaction; each step above can be run again

    dependencies = [
        ("resolutions", "0014_page_indexes"),
    ]

    operations = [migrations.RunPython(add_column, drop_column, elidable=False)]
