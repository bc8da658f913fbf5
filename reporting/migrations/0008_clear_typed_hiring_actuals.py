"""Hiring lines (1.1–1.3) take their actuals from the roster's accepted work. Amounts typed on them earlier (the
old demo wrote some; no page has let a person type them since) were never shown by the budget table but were
added by the over-budget check and returned by the API, so they are cleared: the figures people see do not change.
"""

from django.db import migrations


def clear(apps, schema_editor):
    MonthlyAmount = apps.get_model("reporting", "MonthlyAmount")
    typed = MonthlyAmount.objects.filter(
        line__category__kind="hiring", line__category__hiring_type__isnull=False, line__activity__isnull=True,
        actual__isnull=False,
    )
    cleared = typed.update(actual=None)
    if cleared:
        print(f"\n  cleared {cleared} typed actuals on hiring lines (their actuals are the roster's wages due)")


class Migration(migrations.Migration):
    dependencies = [("reporting", "0007_versions_on_lines_and_activities")]
    operations = [migrations.RunPython(clear, migrations.RunPython.noop)]
