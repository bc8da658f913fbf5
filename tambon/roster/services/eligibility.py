"""Eligibility at hiring (seed: คุณสมบัติผู้ถูกจ้างงาน; DOMAIN.md §5), as the programme defines it: each hiring type's
`eligibility` in Programme.definition (programmes/u2t-2564.yaml hiring_types[].eligibility) says which rules
apply — residency (the tambon or its district), unemployed, no other state wage, enrolment, and the most years
since graduation. The one home of those rules: the roster import (graduation years) and the eligibility record
of a hired or reserve person both read them here."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from pbm.formats import date_be
from tambon.models import Programme, User

from ..models import Contract, Eligibility, Residency


@functools.lru_cache(maxsize=8)
def _definition_file(code: str) -> dict:
    from django.conf import settings

    from pbm.programmes.definition import parse_file
    from pbm.programmes.loader import as_json

    path = Path(settings.BASE_DIR) / "programmes" / f"{code}.yaml"
    return as_json(parse_file(path)) if path.exists() else {}


def definition_of(programme: Programme) -> dict:
    """The programme's definition as programme_load stored it; before the first load (a fresh database, the
    tests), its file programmes/<code>.yaml read the same way."""
    return programme.definition or _definition_file(programme.code)


def eligibility_rules(programme: Programme) -> dict[str, dict]:
    """{hiring type code: its eligibility rules} from the programme definition ({} where none is defined)."""
    return {t["code"]: t.get("eligibility") or {} for t in definition_of(programme).get("hiring_types", [])}


def graduation_years(programme: Programme) -> dict[str, int]:
    """{hiring type code: the most years since graduation} for the types that have that rule."""
    return {code: int(rules["years_since_graduation"]) for code, rules in eligibility_rules(programme).items()
            if rules.get("years_since_graduation") is not None}  # fmt: skip


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def graduated_too_long_ago(graduated_on: dt.date, start_date: dt.date, years: int) -> bool:
    """The graduate rule, for the import and the eligibility record alike: graduated more than `years` years
    before the contract starts."""
    return graduated_on < years_before(start_date, years)


def eligibility_problems(*, contract: Contract, record: Eligibility, graduated_on: dt.date | None,
                         rules: dict | None = None) -> list[str]:  # fmt: skip
    """What the programme's rules for the contract's hiring type find wrong with these answers ([] = eligible).
    `rules`: that type's rules when the caller read them already (a bulk check)."""
    if rules is None:
        rules = eligibility_rules(contract.tambon.programme).get(contract.hiring_type.code, {})
    problems = []
    if rules.get("residency") and record.residency not in (Residency.TAMBON, Residency.DISTRICT):
        problems.append(_("A %(type)s must live in the tambon or its district.") % {"type": contract.hiring_type.name})
    if rules.get("unemployed") and not record.unemployed:
        problems.append(_("A %(type)s must be unemployed.") % {"type": contract.hiring_type.name})
    if rules.get("no_other_state_wage") and not record.no_other_state_wage:
        problems.append(_("A %(type)s may receive no other state wage or state hiring aid.")
                        % {"type": contract.hiring_type.name})  # fmt: skip
    if rules.get("enrolment") and not (record.enrolled_institution.strip() and record.enrolment_verified):
        problems.append(_("A %(type)s must be enrolled in higher or vocational education: name the institution and "
                          "verify the enrolment.") % {"type": contract.hiring_type.name})  # fmt: skip
    years = rules.get("years_since_graduation")
    if years is not None:
        if graduated_on is None:
            problems.append(_("A %(type)s needs a graduation date.") % {"type": contract.hiring_type.name})
        elif graduated_too_long_ago(graduated_on, contract.start_date, int(years)):
            problems.append(_("Graduated on %(date)s, more than %(years)s years before the contract starts.")
                            % {"date": date_be(graduated_on), "years": years})  # fmt: skip
        elif graduated_on > contract.start_date:
            problems.append(_("Graduated on %(date)s, after the contract starts.") % {"date": date_be(graduated_on)})
    return problems


@transaction.atomic
def eligibility_record(*, contract: Contract, user: User | None, residency: str = "", unemployed: bool = False,
                       no_other_state_wage: bool = False, enrolled_institution: str = "",
                       enrolment_verified: bool = False, graduated_on: dt.date | None = None) -> Eligibility:  # fmt: skip
    """Record what the university checked and keep the problems the rules find; the person's graduation date is
    updated with it."""
    record = Eligibility.objects.filter(contract=contract).first() or Eligibility(contract=contract)
    record.residency, record.unemployed, record.no_other_state_wage = residency, unemployed, no_other_state_wage
    record.enrolled_institution, record.enrolment_verified = enrolled_institution.strip()[:200], enrolment_verified
    record.problems = eligibility_problems(contract=contract, record=record, graduated_on=graduated_on)
    record.checked_by = user
    record.save()
    if graduated_on != contract.person.graduated_on:
        contract.person.graduated_on = graduated_on
        contract.person.save(update_fields=["graduated_on"])
    return record


def require_eligible(contract: Contract, *, missing_ok: bool = False) -> None:
    """Hiring from the reserve list checks the recorded eligibility: refused when a problem was found, or (unless
    missing_ok) when nothing was recorded."""
    from django.core.exceptions import ValidationError

    record = Eligibility.objects.filter(contract=contract).first()
    if record is None:
        if missing_ok:
            return
        raise ValidationError({"reserve": _("Record %(name)s's eligibility before hiring them.")
                               % {"name": contract.person}})  # fmt: skip
    if record.problems:
        raise ValidationError({"reserve": _("%(name)s is not eligible: %(problems)s")
                               % {"name": contract.person, "problems": " ".join(record.problems)}})  # fmt: skip
