"""Mirrors existing teacher and methodologist roles into their Wagtail groups."""

from django.db import migrations

# A copy of school.services.ROLE_GROUPS as it was when this migration was written.
ROLE_GROUPS = {"teacher": "Teachers", "methodologist": "Methodologists"}


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    RoleGrant = apps.get_model("school", "RoleGrant")
    User = apps.get_model("school", "User")
    membership = User.groups.through
    for role, name in ROLE_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        holders = RoleGrant.objects.filter(role=role).values_list("user_id", flat=True)
        membership.objects.bulk_create(
            [membership(user_id=pk, group_id=group.pk) for pk in holders],
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("school", "0004_rosters_class_sections"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
