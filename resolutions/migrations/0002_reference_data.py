"""Creates the five committees and the 32 member nations with their delegations."""

from django.db import migrations

from resolutions.reference import ensure_reference_data


def create_reference_data(apps, schema_editor):
    ensure_reference_data(
        apps.get_model("resolutions", "Committee"),
        apps.get_model("resolutions", "Member"),
        apps.get_model("resolutions", "Delegation"),
    )


class Migration(migrations.Migration):
    dependencies = [("resolutions", "0001_initial")]
    operations = [migrations.RunPython(create_reference_data, migrations.RunPython.noop)]
