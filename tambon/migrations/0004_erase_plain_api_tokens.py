"""API tokens moved from DRF's authtoken (the key stored as is) to django-rest-knox (only a digest stored).

The old keys are erased, not converted: a digest of a key that has sat readable in the database and the admin
protects nothing. Every API client asks POST /api/v1/auth/token/ for a new token once (README "Security")."""

from django.db import migrations


def erase_plain_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM authtoken_token")


class Migration(migrations.Migration):
    dependencies = [("tambon", "0003_roster")]

    operations = [migrations.RunPython(erase_plain_tokens, migrations.RunPython.noop)]
