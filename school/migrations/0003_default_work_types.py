"""The work types every school starts with (a school may add its own later)."""

from django.db import migrations

DEFAULT_WORK_TYPES = [
    ("classwork", "Работа на уроке", 1),
    ("oral", "Устный ответ", 1),
    ("homework", "Домашняя работа", 1),
    ("independent", "Самостоятельная работа", 2),
    ("project", "Проект", 2),
    ("test", "Контрольная работа", 3),
]


def add_work_types(apps, schema_editor):
    WorkType = apps.get_model("school", "WorkType")
    for code, name, weight in DEFAULT_WORK_TYPES:
        WorkType.objects.get_or_create(
            code=code, defaults={"name": name, "weight": weight}
        )


class Migration(migrations.Migration):
    dependencies = [("school", "0002_journal")]

    operations = [migrations.RunPython(add_work_types, migrations.RunPython.noop)]
