"""Open revisions' versions moved above their actions' (actions.py numbers a new revision from
its action's version + 1): before, a revision counted from 1, and an edit made from the accepted
action's version landed on a revision that had reached the same number. Someone holding an old
revision number is told their edit is stale and shown the revision, rather than overwriting it."""

from django.db import migrations
from django.db.models import F


def count_on_from_the_action(apps, schema_editor):
    ActionRevision = apps.get_model("resolutions", "ActionRevision")
    for revision in ActionRevision.objects.select_related("action").only(
        "pk", "version", "action__version"
    ):
        ActionRevision.objects.filter(pk=revision.pk).update(
            version=F("version") + revision.action.version
        )


class Migration(migrations.Migration):
    dependencies = [
        ("resolutions", "0015_action_search_document"),
    ]

    operations = [
        migrations.RunPython(count_on_from_the_action, migrations.RunPython.noop, elidable=True)
    ]
