"""Full-text indexes for search (resolutions/search.py), on PostgreSQL only.

GIN indexes over the same expressions Django writes for SearchVector(..., config="english"):
if the two differ, PostgreSQL cannot use the index and reads the whole table
(tests/test_search.py checks the plan on PostgreSQL). SQLite searches with icontains and gets
nothing here. Built CONCURRENTLY, outside a transaction, so that delegations can keep saving
actions while a large table is indexed.
"""

from django.db import migrations

INDEXES = {
    "search_action_text": (
        "resolutions_nationalaction",
        """to_tsvector('english'::regconfig, COALESCE("title", '') || ' ' """
        """|| COALESCE("description", ''))""",
    ),
    "search_evidence_text": (
        "resolutions_evidence",
        """to_tsvector('english'::regconfig, COALESCE("title", '') || ' ' """
        """|| COALESCE("url", '') || ' ' || COALESCE("original_name", ''))""",
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, expression) in INDEXES.items():
        # A build interrupted earlier leaves an invalid index behind: start again.
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')
        schema_editor.execute(
            f'CREATE INDEX CONCURRENTLY "{name}" ON "{table}" USING gin ({expression})'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("resolutions", "0006_review_queue_order"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
