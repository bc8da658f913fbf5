"""English pages show Buddhist Era years like the Thai ones (README, "Dates"): the programme's English name said
"2021" beside month labels saying "2564"."""

from django.db import migrations

OLD, NEW = "University to Tambon (U2T) 2021", "University to Tambon (U2T) 2564"


def forward(apps, schema_editor):
    apps.get_model("tambon", "Programme").objects.filter(code="u2t-2564", name_en=OLD).update(name_en=NEW)


def backward(apps, schema_editor):
    apps.get_model("tambon", "Programme").objects.filter(code="u2t-2564", name_en=NEW).update(name_en=OLD)


class Migration(migrations.Migration):
    dependencies = [("tambon", "0005_rosterimport_preview")]
    operations = [migrations.RunPython(forward, backward)]
