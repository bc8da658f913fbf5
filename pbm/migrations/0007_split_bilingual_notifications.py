"""Notifications stored before each reader got their own language held "Thai body\\n\\nEnglish body" in one field
(and a Thai subject only). Split them, so the list shows each reader one language."""

from django.db import migrations


def split_bodies(apps, schema_editor) -> int:
    Notification = apps.get_model("pbm", "Notification")
    changed = 0
    for n in Notification.objects.filter(subject_en="", body_en="", body__contains="\n\n").iterator():
        thai, english = n.body.split("\n\n", 1)
        Notification.objects.filter(pk=n.pk).update(body=thai, body_en=english, subject_en=n.subject)
        changed += 1
    return changed


class Migration(migrations.Migration):
    dependencies = [("pbm", "0006_notification_channels_preferences_comments")]

    operations = [migrations.RunPython(split_bodies, migrations.RunPython.noop)]
