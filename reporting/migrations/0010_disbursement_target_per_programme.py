"""Disbursement targets belong to a programme (issue #14): today's global rows become U2T's, copied to every
existing programme, so no dashboard figure changes."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def copy_to_programmes(apps, schema_editor):
    Target = apps.get_model("reporting", "DisbursementTarget")
    Programme = apps.get_model("tambon", "Programme")
    rows = list(Target.objects.filter(programme__isnull=True))
    programmes = list(Programme.objects.order_by("pk"))
    for row in rows:
        for programme in programmes:
            Target.objects.create(programme=programme, quarter=row.quarter, cumulative_share=row.cumulative_share)
        row.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0009_deadline_settings_assessment_due_days"),
        ("tambon", "0008_unit_tree"),
    ]

    operations = [
        migrations.AlterField(
            model_name="disbursementtarget",
            name="quarter",
            field=models.PositiveSmallIntegerField(
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(4),
                ],
                verbose_name="fiscal quarter",
            ),
        ),
        migrations.AddField(
            model_name="disbursementtarget",
            name="programme",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="disbursement_targets",
                to="tambon.programme",
                verbose_name="programme",
            ),
        ),
        migrations.RunPython(copy_to_programmes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="disbursementtarget",
            name="programme",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="disbursement_targets",
                to="tambon.programme",
                verbose_name="programme",
            ),
        ),
        migrations.AlterModelOptions(
            name="disbursementtarget",
            options={
                "ordering": ["programme", "quarter"],
                "verbose_name": "disbursement target",
                "verbose_name_plural": "disbursement targets",
            },
        ),
        migrations.AddConstraint(
            model_name="disbursementtarget",
            constraint=models.UniqueConstraint(fields=("programme", "quarter"), name="disbursement_target_once"),
        ),
    ]
