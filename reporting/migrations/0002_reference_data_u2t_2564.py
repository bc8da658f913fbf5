"""Reference data of U2T 2564 (DOMAIN.md §1, §4): budget categories, reporting settings, expense types."""

from decimal import Decimal

from django.db import migrations

# code, parent, position, kind, letter, hiring type code, Thai, English
CATEGORIES = [
    ("1", None, 10, "hiring", "", None, "การจ้างงาน", "Hiring"),
    ("1.1", "1", 11, "hiring", "", "citizen", "ประชาชน", "Citizens"),
    ("1.2", "1", 12, "hiring", "", "graduate", "บัณฑิต", "Graduates"),
    ("1.3", "1", 13, "hiring", "", "student", "นักศึกษา", "Students"),
    ("2", None, 20, "activity", "", None, "การพัฒนาชุมชน", "Community development"),
    ("2.1", "2", 21, "activity", "ก.", None, "การยกระดับสินค้า OTOP/อาชีพ สัมมาชีพ/สร้างอาชีพใหม่",
     "Livelihoods, OTOP, new occupations"),
    ("2.2", "2", 22, "activity", "ข.", None, "การสร้างและพัฒนา Creative Economy (การยกระดับการท่องเที่ยว)",
     "Creative Economy (tourism)"),
    ("2.3", "2", 23, "activity", "ค.", None, "การนำองค์ความรู้ไปช่วยบริการชุมชน (Health Care/เทคโนโลยีด้านต่าง ๆ)",
     "Knowledge services (health care, technology)"),
    ("2.4", "2", 24, "activity", "ง.", None, "การส่งเสริมด้านสิ่งแวดล้อม/Circular Economy",
     "Environment, Circular Economy"),
    ("2.5", "2", 25, "activity", "จ.", None, "อื่น ๆ", "Other"),
    ("3", None, 30, "management", "", None, "การบริหารจัดการ", "Management"),
    ("3.1", "3", 31, "management", "", None, "ระดับ System Integrator", "System Integrator level"),
]  # fmt: skip

FUNDED = [
    ("ค่าวัสดุ", "Materials"),
    ("ค่าตอบแทนวิทยากร", "Speaker fees"),
    ("ค่าอาหารและเครื่องดื่มในการฝึกอบรม", "Meals and drinks at training"),
    ("ค่าจัดฝึกอบรม/ประชุมในพื้นที่", "Training and meetings in the area"),
    ("ค่าเมล็ดพันธุ์ พันธุ์สัตว์ และปัจจัยการผลิต", "Seeds, livestock and farm inputs"),
    ("ค่าบรรจุภัณฑ์และฉลากสินค้า", "Packaging and product labels"),
]

# DOMAIN.md §4: กิจกรรม/ค่าใช้จ่ายที่ไม่สนับสนุน.
NOT_FUNDED = [
    ("ค่าสาธารณูปโภค", "Utilities"),
    ("การจัดทำ Big Data", "Making Big Data"),
    ("การจัดทำแอปพลิเคชัน", "Making applications"),
    ("ค่าเช่า Cloud", "Cloud rental"),
    ("ค่าน้ำมันเชื้อเพลิง", "Fuel"),
    ("ค่าเดินทาง", "Travel"),
    ("ค่าเช่าสถานที่", "Venue rental"),
    ("ค่าเช่าคอมพิวเตอร์", "Computer rental"),
    ("ค่าสื่อประชาสัมพันธ์", "PR media"),
    ("ค่าขนส่ง (Kerry)", "Courier (Kerry)"),
    ("ค่าศึกษาดูงาน", "Study visits"),
    ("ค่าจ้างเหมาผลิต", "Contracted production"),
    ("ค่าจัดงานแสดงสินค้า", "Trade fairs"),
    ("ค่าจ้างเหมาบริการทุกประเภท", "Contracted services of any kind"),
    ("ค่าจ้างสำรวจและเก็บข้อมูล", "Survey and data-collection fees"),
    ("ค่าจัดนิทรรศการ", "Exhibitions"),
    ("ค่าประมวลผลข้อมูล", "Data processing"),
    ("ค่าวัสดุป้องกันโควิด", "COVID protective supplies"),
    ("ค่าจ้างเหมาจัดภูมิทัศน์", "Landscaping contracts"),
    ("ค่าเวชภัณฑ์", "Medical supplies"),
    ("ค่าจ้างออแกไนซ์", "Event-organiser fees"),
    ("ค่าฮาร์ดแวร์/ซอฟต์แวร์/โน้ตบุ๊ก/iPad", "Hardware, software, laptops, iPads"),
    ("ค่าโดรน", "Drones"),
    ("ค่าที่ปรึกษา", "Consultants"),
    ("ครุภัณฑ์ที่ไม่เกี่ยวข้องกับกิจกรรม", "Capital spending unrelated to the activity"),
]

NOT_FUNDED_RULE = (
    "กิจกรรม/ค่าใช้จ่ายที่ไม่สนับสนุน: ค่าสาธารณูปโภค, การจัดทำ Big Data, การจัดทำแอปพลิเคชัน, ค่าเช่า Cloud, "
    "ค่าน้ำมันเชื้อเพลิง, ค่าเดินทาง, ค่าเช่าสถานที่, ค่าเช่าคอมพิวเตอร์, ค่าสื่อประชาสัมพันธ์, ค่าขนส่ง (Kerry), "
    "ค่าศึกษาดูงาน, ค่าจ้างเหมาผลิต, ค่าจัดงานแสดงสินค้า, ค่าจ้างเหมาบริการทุกประเภท, ค่าจ้างสำรวจและเก็บข้อมูล, "
    "ค่าจัดนิทรรศการ, ค่าประมวลผลข้อมูล, ค่าวัสดุป้องกันโควิด, ค่าจ้างเหมาจัดภูมิทัศน์, ค่าเวชภัณฑ์, ค่าจ้างออแกไนซ์, "
    "ค่าฮาร์ดแวร์/ซอฟต์แวร์/โน้ตบุ๊ก/iPad, ค่าโดรน, ค่าที่ปรึกษา และครุภัณฑ์ที่ไม่เกี่ยวข้องกับกิจกรรม "
    "(Not funded: utilities; making Big Data; making applications; cloud rental; fuel; travel; venue rental; "
    "computer rental; PR media; courier (Kerry); study visits; contracted production; trade fairs; contracted "
    "services of any kind; survey and data-collection fees; exhibitions; data processing; COVID protective "
    "supplies; landscaping contracts; medical supplies; event-organiser fees; hardware/software/laptop/iPad; "
    "drones; consultants; capital spending unrelated to the activity.)"
)


def forward(apps, schema_editor):
    Programme = apps.get_model("tambon", "Programme")
    HiringType = apps.get_model("tambon", "HiringType")
    BudgetCategory = apps.get_model("reporting", "BudgetCategory")
    ExpenseType = apps.get_model("reporting", "ExpenseType")
    ProgrammeSettings = apps.get_model("reporting", "ProgrammeSettings")
    programme = Programme.objects.filter(code="u2t-2564").first()
    if programme is None:
        return
    ProgrammeSettings.objects.update_or_create(
        programme=programme,
        defaults={
            "due_day": 2, "activity_budget": Decimal("800000"), "management_budget": Decimal("43000"),
            "evidence_max_mb": 10, "not_funded_rule": NOT_FUNDED_RULE,
        },
    )  # fmt: skip
    hiring = {h.code: h for h in HiringType.objects.filter(programme=programme)}
    by_code = {}
    for code, parent, position, kind, letter, hiring_code, name_th, name_en in CATEGORIES:
        by_code[code], _ = BudgetCategory.objects.update_or_create(
            programme=programme, code=code,
            defaults={
                "parent": by_code.get(parent), "position": position, "kind": kind, "letter": letter,
                "hiring_type": hiring.get(hiring_code), "name_th": name_th, "name_en": name_en,
            },
        )  # fmt: skip
    for funded, rows in ((True, FUNDED), (False, NOT_FUNDED)):
        for position, (name_th, name_en) in enumerate(rows, start=1):
            ExpenseType.objects.update_or_create(
                programme=programme, name_th=name_th, defaults={"name_en": name_en, "position": position, "funded": funded}
            )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial"), ("tambon", "0002_programme_u2t_2564")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
