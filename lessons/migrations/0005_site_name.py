"""The default site is named after the platform: Wagtail's admin otherwise greets
editors with its host name ("localhost")."""

from django.conf import settings
from django.db import migrations


def site_name_set(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    Site.objects.filter(site_name="").update(site_name=settings.WAGTAIL_SITE_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0004_h5p_results"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(site_name_set, migrations.RunPython.noop)]
