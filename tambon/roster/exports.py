"""The roster's exports that take seconds, built in the background (pbm/jobs.py): a university's and the nation's
open contracts (.xlsx), and a university's certificates (PDF). Who may have each is asked of tambon/access.py
when the job starts and again when its file is fetched; full national IDs only for those who handle payments."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pbm.jobs import XLSX, ExportKind, export_kind
from tambon import access
from tambon.models import Programme, Tambon, Unit, University, User

from . import selectors
from .models import Certificate
from .services.certificates import certificate_pdf
from .sheet import write_workbook


def _tambons(params: dict) -> QuerySet[Tambon]:
    tambons = Tambon.objects.filter(programme_id=params["programme"])
    return tambons.filter(university_id=params["university"]) if params.get("university") else tambons


def _rows(params: dict) -> dict:
    return {"rows": list(selectors.export_rows(tambons=_tambons(params), mask=params["mask"])),
            "types": selectors.hiring_type_names(Programme.objects.get(pk=params["programme"]))}  # fmt: skip


def _workbook(data: dict, params: dict) -> bytes:
    return write_workbook(data["rows"], type_names=data["types"])


def _manages(user: User, university_id: int) -> bool:
    university = University.objects.filter(pk=university_id).first()
    return university is not None and access.can_manage_university(user, university)


def _university_allowed(user: User, params: dict) -> bool:
    uid = params["university"]
    return _manages(user, uid) and (params["mask"] or access.handles_payments(user, uid))


def _national_allowed(user: User, params: dict) -> bool:
    """The programme's national roles, full IDs for its admin: another programme's admin gets none of it."""
    return access.national_in(user, params["programme"]) and (params["mask"] or access.administers(
        user, params["programme"]))  # fmt: skip


def _university_code(params: dict) -> str:
    return University.objects.filter(pk=params["university"]).values_list("code", flat=True).first() or ""


UNIVERSITY_ROSTER = export_kind(ExportKind(
    name="roster_university", title=lambda p: _("Roster of %(code)s (.xlsx)") % {"code": _university_code(p)},
    allowed=_university_allowed, inputs=_rows, write=_workbook,
    filename=lambda p: f"roster-{_university_code(p)}.xlsx", content_type=XLSX,
))  # fmt: skip

NATIONAL_ROSTER = export_kind(ExportKind(
    name="roster_national", title=lambda p: _("National roster (.xlsx)"), allowed=_national_allowed,
    inputs=_rows, write=_workbook, filename=lambda p: "roster-national.xlsx", content_type=XLSX,
))  # fmt: skip


def university_roster_params(*, user: User, university: University, programme: Programme) -> dict:
    return {"programme": programme.pk, "university": university.pk,
            "mask": not access.handles_payments(user, university.pk)}  # fmt: skip


def national_roster_params(*, user: User, programme: Programme) -> dict:
    return {"programme": programme.pk, "mask": not access.administers(user, programme.pk)}


# --- certificates -------------------------------------------------------------------------------------------
# A job's params name its owner, a university (U2T) or a unit of the tree, and the certificates it prints: only
# those of the owner's tambons whose roster the person manages (tambon/access.py), when it starts and when fetched.


def _owner_tambons(params: dict) -> QuerySet[Tambon]:
    if params.get("unit"):
        unit = Unit.objects.filter(pk=params["unit"]).first()
        return Tambon.objects.under(unit) if unit is not None else Tambon.objects.none()
    return Tambon.objects.filter(university_id=params["university"])


def _owner_code(params: dict) -> str:
    if params.get("unit"):
        return Unit.objects.filter(pk=params["unit"]).values_list("code", flat=True).first() or ""
    return _university_code(params)


def _certificates(params: dict) -> list[Certificate]:
    return list(
        Certificate.objects.filter(pk__in=params["certificates"], contract__tambon__in=_owner_tambons(params))
        .select_related(
            "contract__person", "contract__hiring_type", *(f"contract__{path}" for path in selectors.CERTIFICATE_TAMBON)
        )  # fmt: skip
        .order_by("number")
    )


def _certificates_allowed(user: User, params: dict) -> bool:
    managed = access.roster_tambons(user, _owner_tambons(params))
    return not Certificate.objects.filter(pk__in=params["certificates"]).exclude(contract__tambon__in=managed).exists()


def _certificate_inputs(params: dict) -> list[tuple]:
    """What a certificate page prints, for each certificate: the version changes when any of it does."""
    return [(c.pk, c.number, c.months, c.issued_at, c.contract.person.first_name, c.contract.person.last_name,
             c.contract.hiring_type.name_th, c.contract.start_date, selectors.certificate_issuer(c.contract.tambon),
             c.contract.tambon.place, c.contract.tambon.programme.name_th) for c in _certificates(params)]  # fmt: skip


CERTIFICATES = export_kind(ExportKind(
    name="certificates", title=lambda p: _("Certificates of %(code)s (PDF)") % {"code": _owner_code(p)},
    allowed=_certificates_allowed, inputs=_certificate_inputs,
    write=lambda data, p: certificate_pdf(certificates=_certificates(p)),
    filename=lambda p: f"certificates-{_owner_code(p)}.pdf", content_type="application/pdf",
))  # fmt: skip
