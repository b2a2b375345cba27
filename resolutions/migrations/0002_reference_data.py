"""Creates the five committees and the 32 member nations with their delegations."""

from django.db import migrations

from resolutions.reference import COMMITTEES, MEMBER_NATIONS


def create_reference_data(apps, schema_editor):
    Committee = apps.get_model("resolutions", "Committee")
    Member = apps.get_model("resolutions", "Member")
    Delegation = apps.get_model("resolutions", "Delegation")
    for code, name in COMMITTEES:
        Committee.objects.get_or_create(code=code, defaults={"name": name})
    for country, joined in MEMBER_NATIONS:
        member, _ = Member.objects.get_or_create(
            country=country, defaults={"kind": "member", "joined": joined}
        )
        Delegation.objects.get_or_create(member=member)


class Migration(migrations.Migration):
    dependencies = [("resolutions", "0001_initial")]
    operations = [migrations.RunPython(create_reference_data, migrations.RunPython.noop)]
