"""Reference data of U2T 2564: the 16 tambon goals, the TSI/USI/RSI indicators and the tambon classes.

Thai wording from seed 000 (U2T committee meeting 1/2564, "เป้าหมายตำบล ๑๖ ประการ", "14 ตัวชี้วัด", "4 ตัวชี้วัด";
OCR slips corrected: ล้มมาชีพ → สัมมาชีพ, ทัวถึง → ทั่วถึง). English from DOMAIN.md §6–§8.
"""

from decimal import Decimal

from django.db import migrations

GOALS = [
    # number, Thai, English, Thai detail
    (1, "องค์กรชุมชน ตำบล มีสมรรถนะในการจัดการสูง", "Community and tambon organisations with high management capacity",
     "แผนพัฒนาชุมชน พัฒนาตำบล อย่างบูรณาการ (อปท. ท้องถิ่น กลุ่มสังคม องค์กรชุมชน หน่วยงานรัฐ เอกชน)"),
    (2, "การจัดสรรทรัพยากรอย่างเป็นธรรม", "Fair allocation of resources",
     "ทรัพยากรธรรมชาติ ที่ดิน งบประมาณ และรายได้อื่น ๆ: ความเป็นธรรม ลดความเหลื่อมล้ำ และเกิดความเข้มแข็งทางเศรษฐกิจ"),
    (3, "ความสามารถวิเคราะห์รายรับ-รายจ่าย", "Income–expense analysis and community financial institutions",
     "ปรับตัวให้เศรษฐกิจเป็นบวก สถาบันการเงินของชุมชน จัดการโดยชุมชน เพื่อชุมชน"),
    (4, "สัมมาชีพเต็มพื้นที่", "Right livelihoods across the area", "ไม่เบียดเบียนตนเอง ผู้อื่น สิ่งแวดล้อม"),
    (5, "เกษตรทฤษฎีใหม่", "New-theory agriculture", "พอเพียง ปลอดภัย"),
    (6, "สระน้ำประจำครอบครัว", "Family water ponds", "มีน้ำใช้ ป้องกันน้ำท่วม"),
    (7, "การจัดการวิสาหกิจ", "Enterprise management", "การแปรรูป อุตสาหกรรมชุมชน ท่องเที่ยวชุมชน"),
    (8, "การฝึกอบรมด้านสังคม", "Social and vocational training",
     "ทักษะอาชีพ ช่าง เกษตร การค้าขาย เทคโนโลยีสื่อสาร วิทยาศาสตร์เทคโนโลยีเพื่อลดต้นทุนและสร้างมูลค่าใหม่"),
    (9, "การจัดการโครงสร้างพื้นฐาน", "Infrastructure management", "กายภาพ สิ่งแวดล้อม พลังงาน"),
    (10, "ตำบลปลอดภัย", "Safe tambon",
     "ป้องกันอาชญากรรม อุบัติเหตุทั้งทางบกและทางน้ำ ปกป้อง หน่วยกู้ภัยที่มีความเชี่ยวชาญ"),
    (11, "การพัฒนาคุณภาพกลุ่มเปราะบางอย่างทั่วถึง", "Quality of life of vulnerable groups",
     "เด็ก เยาวชน ผู้สูงอายุ คนพิการ เด็กกำพร้า"),
    (12, "ระบบสุขภาพตำบล", "Tambon health system", "คุณภาพสูงและมีประสิทธิภาพ ทุกคนคือญาติ"),
    (13, "ศูนย์เรียนรู้ตำบล", "Tambon learning centres", "ห้องสมุด พิพิธภัณฑ์ตำบล ศูนย์ศิลปะ ศูนย์กีฬา ศูนย์เรียนรู้พิเศษ"),
    (14, "ระบบความยุติธรรมชุมชน", "Community justice", "ความยุติธรรมแบบมีส่วนร่วม ไกล่เกลี่ย สันติวิธี"),
    (15, "ระบบสื่อสารชุมชน + สื่อดิจิทัล", "Community communication and digital media",
     "ถูกต้อง ครบถ้วน ทั่วถึง ทันเวลา"),
    (16, "ตำบลทำความดี", "Tambon of good deeds",
     "ถูกต้อง ดีงาม การช่วยเหลือผู้อื่น อนุรักษ์สิ่งแวดล้อม วัฒนธรรม ปฏิบัติธรรม"),
]

TSI = [
    (1, "โจทย์การพัฒนาเพื่อแก้ไขปัญหาความยากจนตาม 16 เป้าหมาย", "Development problem against the 16 goals",
     "ใช้ TPMAP เป็นข้อมูลเบื้องต้นในการวิเคราะห์ สถานะของพื้นที่เป้าหมาย"),
    (2, "กำหนดประชากรเป้าหมาย", "Target population", "กลุ่มเป้าหมายที่ชัดเจนตามกิจกรรม"),
    (3, "ผู้ปฏิบัติการหลัก (Key actors) และผู้ขับเคลื่อนปฏิบัติการในพื้นที่", "Key actors",
     "อปท. ท้องถิ่น กลุ่มสังคม องค์กรชุมชน หน่วยงานรัฐ เอกชน"),
    (4, "เทคโนโลยีและเครื่องมือที่ใช้ได้ผลดี", "Technology and tools that work",
     "เหมาะสมกับพื้นที่ ผลิตได้ในประเทศระดับหนึ่ง เพิ่มผลิตภาพ การบริหารจัดการ"),
    (5, "นวัตกรรมการแก้ปัญหา (เชิงระบบ เชิงกระบวนการ เชิงเทคนิค)", "Problem-solving innovation",
     "เพิ่มรายได้ ลดรายจ่าย ชุมชนมีส่วนร่วม"),
    (6, "การมีส่วนร่วมของประชากรกลุ่มเป้าหมายและ 4 องค์กรหลัก",
     "Participation of the target population and the 4 core organisations",
     "อปท. ท้องถิ่น กลุ่มสังคม องค์กรชุมชน หน่วยงานรัฐ"),
    (7, "ผลการมีส่วนร่วมในการแก้ปัญหาของกลุ่มประชากรเป้าหมาย", "Results of that participation",
     "ประชาชนมีส่วนร่วมคิด ร่วมดำเนินการ"),
    (8, "เรื่องเด่น (กิจกรรม บริการ ผลิตภัณฑ์ ผลผลิต)", "Highlight (activity, service, product)",
     "Product champion (บริการ สินค้า) Value creation"),
    (9, "คนเด่น (Champions)", "Champions", "ผู้นำชุมชน ปราชญ์ชาวบ้าน"),
    (10, "ข้อมูล (การสำรวจการเฝ้าระวัง COVID-19 และ Community Data)",
     "Data (COVID-19 surveillance and Community Data)", "ถูกต้อง ครบถ้วน ทันเวลา"),
    (11, "การส่งเสริมการสร้างธุรกิจใหม่ (Start-up / Social Enterprise)", "New business (start-up / social enterprise)",
     "เกิดกลุ่มธุรกิจที่เหมาะสมและเอื้อประโยชน์กับท้องถิ่น"),
    (12, "รูปแบบการแก้ปัญหาความยากจนในระดับตำบล จากการสรุปบทเรียนและประสบการณ์ในโครงการ",
     "Tambon poverty-solving model from lessons learned", "ถอดบทเรียน เข้าใจง่าย ประยุกต์ใช้ได้ สะดวกในการเผยแพร่"),
    (13, "รูปแบบการบริหารจัดการทรัพยากรบุคคลและองค์กรภายในตำบลเพื่อแก้ไขปัญหาความยากจน (Resource Mobilization)",
     "Resource mobilisation model", "ชุมชนมีส่วนร่วมบริหารจัดการที่สอดคล้องเหมาะสมกับพื้นที่"),
    (14, "แหล่งเรียนรู้ และหลักสูตรการเรียนรู้ของชุมชนที่มาจากเรื่องเด่น คนเด่น จนได้รับการยอมรับเป็นศูนย์เรียนรู้ด้านการแก้ปัญหาความยากจน",
     "Learning centre and community curriculum", "มีหลักสูตร ศูนย์เรียนรู้"),
]

USI = [
    (1, "วิเคราะห์โจทย์การพัฒนาเพื่อแก้ปัญหาความยากจน", "Analyse development problems"),
    (2, "บริการวิชาการตามความต้องการของ 4 องค์กรหลัก", "Academic services to the 4 core organisations"),
    (3, "ผู้ปฏิบัติการหลัก (Key Actors) และผู้ขับเคลื่อนปฏิบัติการในตำบล", "Key actors"),
    (4, "การถ่ายทอดเทคโนโลยีของกลุ่มนวัตกรรมในกลุ่มตำบล", "Technology transfer within tambon clusters"),
    (5, "สถานะของกลุ่มประชากรเป้าหมายในการแก้ไขปัญหาความยากจน", "Status of the target population"),
    (6, "วิเคราะห์จัดกลุ่มตามศักยภาพของตำบลออกเป็น 3 กลุ่ม", "Group tambons by potential into 3 groups"),
    (7, "ยกระดับตำบลที่มีศักยภาพเป็นศูนย์เรียนรู้ที่มีความเชี่ยวชาญ", "Raise able tambons to expert learning centres"),
    (8, "วิเคราะห์จัดกลุ่ม บริการ กิจกรรม ผลิตภัณฑ์ และนวัตกรรม ที่เกี่ยวกับการแก้ปัญหาความยากจน",
     "Group services, activities, products and innovations"),
    (9, "จัดทำฐานข้อมูลนักวิชาการเชี่ยวชาญในการแก้ปัญหาความยากจน", "Database of poverty experts"),
    (10, "กรณีตัวอย่างสู่การนำไปใช้ในการปรับปรุงหลักสูตรของมหาวิทยาลัย", "Cases feeding university curricula"),
    (11, "ตำบลเป็นพื้นที่จัดการศึกษารายวิชาที่นักศึกษาได้ฝึกปฏิบัติการ", "Tambon as a teaching site"),
    (12, "ความรู้ที่สรุปจากประสบการณ์ของพื้นที่", "Knowledge from area experience"),
    (13, "เกิดหลักสูตรเพิ่มสมรรถนะผู้รับจ้างงาน", "Courses raising hired people's competence"),
    (14, "ข้อมูล (การสำรวจการเฝ้าระวัง COVID-19 และ Community Data)", "Data (COVID-19 surveillance and Community Data)"),
]

RSI = [
    (1, "ประมวลตัวชี้วัดระดับตำบลและระดับมหาวิทยาลัยให้อยู่ในสถานะที่แสดงความครอบคลุมประชากรเป้าหมาย และสอดคล้องกับ ๑๖ เป้าหมาย",
     "Compile tambon and university indicators to show target-population coverage against the 16 goals"),
    (2, "วิเคราะห์และสังเคราะห์ความรู้จากปฏิบัติการในพื้นที่กับความสอดคล้องของกลุ่มสาขาวิชาเพื่อจัดทำเป็นข้อเสนอในการปฏิรูปการศึกษาในระดับอุดมศึกษา",
     "Synthesise field knowledge into higher-education reform proposals"),
    (3, "สังเคราะห์นวัตกรรมของพื้นที่เพื่อยกระดับเศรษฐกิจและสังคมของประเทศ", "Synthesise area innovations"),
    (4, "สังเคราะห์ข้อมูล การสำรวจการเฝ้าระวังและป้องกันโรคติดเชื้อไวรัสโคโรนา 2019 ข้อมูลการยกระดับเศรษฐกิจและสังคม เพื่อจัดทำข้อเสนอเชิงนโยบายต่อคณะกรรมการยุทธศาสตร์ชาติ คณะกรรมการปฏิรูปประเทศ และหน่วยงานกลางที่รับผิดชอบนโยบายแห่งรัฐ",
     "Synthesise COVID-19 and socio-economic data into policy proposals"),
]

CLASS_BANDS = [
    # code, rank, Thai, English, min, max, target share %
    ("sustainable", 3, "ตำบลมุ่งสู่ความยั่งยืน", "Sustainable", 14, 16, Decimal("25")),
    ("sufficiency", 2, "ตำบลมุ่งสู่ความพอเพียง", "Sufficiency", 11, 13, Decimal("50")),
    ("survive", 1, "ตำบลที่อยู่รอด", "Survive", 8, 10, Decimal("25")),
]


def forward(apps, schema_editor):
    Programme = apps.get_model("tambon", "Programme")
    Goal = apps.get_model("assessment", "Goal")
    Indicator = apps.get_model("assessment", "Indicator")
    ClassBand = apps.get_model("assessment", "ClassBand")
    programme = Programme.objects.filter(code="u2t-2564").first()
    if programme is None:
        return
    for number, name_th, name_en, detail in GOALS:
        Goal.objects.update_or_create(
            programme=programme, number=number, defaults={"name_th": name_th, "name_en": name_en, "detail_th": detail}
        )
    for level, rows in (("tsi", TSI), ("usi", USI), ("rsi", RSI)):
        for number, name_th, name_en, *hint in rows:
            Indicator.objects.update_or_create(
                programme=programme, level=level, number=number,
                defaults={"name_th": name_th, "name_en": name_en, "hint_th": hint[0] if hint else ""},
            )  # fmt: skip
    for code, rank, name_th, name_en, low, high, share in CLASS_BANDS:
        ClassBand.objects.update_or_create(
            programme=programme, code=code,
            defaults={"rank": rank, "name_th": name_th, "name_en": name_en, "min_goals": low, "max_goals": high,
                      "target_share": share},
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial"), ("tambon", "0002_programme_u2t_2564")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
