"""หนังสือรับรองการปฏิบัติงาน: issued to people with the continuous accepted months their programme's definition
asks (`certificate.consecutive_passed_months`), numbered and signed by their issuer (U2T's university, otherwise
the unit above the tambon: tambon.roster.selectors.certificate_issuer), printed as a Thai PDF.

Font: Sarabun (the Thai government document face), shipped on PyPI as `fontpkg-sarabun`; Debian's TLWG
Garuda is the fallback. Thai needs shaping (stacked vowels and tone marks), done by HarfBuzz (`uharfbuzz`).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pbm.formats import date_be
from tambon.models import User

from ..models import Certificate, Contract
from ..selectors import certificate_issuer, certificate_number, is_certificate_eligible

TLWG = Path("/usr/share/fonts/truetype/tlwg")


def thai_fonts() -> tuple[Path, Path]:
    """(regular, bold) TTF files of a Thai font."""
    try:
        import fontpkg_sarabun

        root = Path(fontpkg_sarabun.__file__).resolve().parent / "files"
        regular, bold = root / "Sarabun-Regular.ttf", root / "Sarabun-Bold.ttf"
        if regular.exists() and bold.exists():
            return regular, bold
    except ImportError:
        pass
    regular, bold = TLWG / "Garuda.ttf", TLWG / "Garuda-Bold.ttf"
    if regular.exists() and bold.exists():
        return regular, bold
    raise ImproperlyConfigured(
        "No Thai font for certificates: pip install fontpkg-sarabun (requirements.txt) or apt-get install fonts-thai-tlwg"
    )


@transaction.atomic
def certificate_issue(*, contract: Contract, user: User) -> Certificate:
    existing = Certificate.objects.filter(contract=contract).first()
    if existing:
        return existing
    eligible, months, need = is_certificate_eligible(contract)
    if not eligible:
        raise ValidationError(
            _(
                "%(name)s has %(months)s continuous accepted months with passed evaluations; a certificate needs %(need)s."
            )
            % {"name": contract.person, "months": months, "need": need}
        )
    return Certificate.objects.create(
        contract=contract, number=certificate_number(contract), months=months, issued_by=user
    )


def _programme_name(name_th: str) -> str:
    """The programme as the sentence names it, from its data: "โครงการ…" once, whether or not its name says it."""
    return name_th if name_th.startswith("โครงการ") else f"โครงการ{name_th}"


def certificate_pdf(*, certificates: list[Certificate]) -> bytes:
    """One A4 page per certificate, in Thai."""
    from fpdf import FPDF

    regular, bold = thai_fonts()
    pdf = FPDF(format="A4")
    pdf.add_font("thai", "", str(regular))
    pdf.add_font("thai", "B", str(bold))
    if importlib.util.find_spec("uharfbuzz"):  # without HarfBuzz the text prints, marks less well placed
        pdf.set_text_shaping(True)
    for cert in certificates:
        contract = cert.contract
        tambon = contract.tambon
        pdf.add_page()
        pdf.set_font("thai", "B", 24)
        pdf.ln(30)
        pdf.cell(0, 14, "หนังสือรับรองการปฏิบัติงาน", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("thai", "", 16)
        pdf.cell(0, 10, f"เลขที่ {cert.number}", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(12)
        lines = [
            f"{certificate_issuer(tambon).name} ขอรับรองว่า",
            f"{contract.person.first_name} {contract.person.last_name}",
            f"ได้ปฏิบัติงานใน{_programme_name(tambon.programme.name_th)} ในตำแหน่ง{contract.hiring_type.name_th}",
            f"ณ {tambon.place}",
            f"ตั้งแต่วันที่ {date_be(contract.start_date)} ต่อเนื่อง {cert.months} เดือน และผ่านการประเมินผลการปฏิบัติงาน",
        ]
        for index, line in enumerate(lines):
            pdf.set_font("thai", "B" if index == 1 else "", 20 if index == 1 else 16)
            pdf.multi_cell(0, 10, line, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(20)
        pdf.set_font("thai", "", 16)
        pdf.cell(0, 10, f"ให้ไว้ ณ วันที่ {date_be(cert.issued_at)}", align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
