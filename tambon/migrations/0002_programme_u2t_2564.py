"""Reference data: the U2T 2564 programme (DOMAIN.md §1) and its hiring types and rates (§5)."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

HIRING_TYPES = [
    # code, position, Thai, English, monthly rate, people per tambon
    ("citizen", 1, "ประชาชน", "Citizen", Decimal("9000"), 5),
    ("graduate", 2, "บัณฑิตจบใหม่", "New graduate", Decimal("15000"), 10),
    ("student", 3, "นักศึกษา", "Student", Decimal("5000"), 5),
]


def forward(apps, schema_editor):
    Programme = apps.get_model("tambon", "Programme")
    HiringType = apps.get_model("tambon", "HiringType")
    programme, _ = Programme.objects.update_or_create(
        code="u2t-2564",
        defaults={
            "name_th": "มหาวิทยาลัยสู่ตำบล สร้างรากแก้วให้ประเทศ (U2T) ปี 2564",
            "name_en": "University to Tambon (U2T) 2021",
            "start_date": dt.date(2021, 1, 1),
            "end_date": dt.date(2021, 12, 31),
            "is_current": True,
        },
    )
    for code, position, name_th, name_en, rate, quota in HIRING_TYPES:
        HiringType.objects.update_or_create(
            programme=programme,
            code=code,
            defaults={
                "position": position, "name_th": name_th, "name_en": name_en,
                "monthly_rate": rate, "quota_per_tambon": quota,
            },
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("tambon", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
