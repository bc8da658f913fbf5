"""Every URL × every role (issue #11, item 9), generated from the URL resolver so a new URL is covered the day
it is added: a pattern missing from CASES below fails the test, listing it, until its author registers it.

For each pattern: GET and POST as each role, against the objects of university A / network 1 / tambon_a, which
are in scope for some roles and out of scope for the others (bob and mike work for university B, dave reviews
network 2). The status must be the one in the pattern's table; a GET must change no row of any table, and a
POST that is refused (login, 403, 404, 405) must change nothing either. Every request runs in a savepoint that is
rolled back, so the allowed POSTs (an RSI accepting a report…) leave the world as it was for the next request.

The world is built once for the module (django_db_blocker); the whole matrix runs in seconds on SQLite.
Left out, with the reason: admin/ (Django's admin, with its own tests in tests/test_admin.py); no static or media
URL is routed by the project (WhiteNoise / the web server serve them)."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.http import QueryDict
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from api_clients.services import api_client_create
from assessment.models import (
    ImpactReport,
    NetworkAssessment,
    TambonAssessment,
    TambonClassification,
    UniversityAssessment,
)
from pbm import review
from pbm.api import QueryFilters
from pbm.models import ExportJob, JobStatus, Notification
from reporting import services
from reporting.deadlines.models import CompletionFile, CompletionReport, MouReport, UnitMonthlyReport
from reporting.models import Evidence, MonthlyReport
from tambon.models import HiringType, Role
from tambon.roster.demo import national_id
from tambon.roster.exports import university_roster_params
from tambon.roster.models import Contract, ImportStatus, Person, RosterImport
from tambon.roster.personal import personal_token
from tambon.roster.selectors import hiring_type_names
from tambon.roster.sheet import write_workbook
from tests.assessment.helpers import make_activity
from tests.conftest import _member, build_world, pass_two_factor
from tests.factories import NetworkFactory

pytestmark = pytest.mark.django_db  # so that pytest-django sets the test database up; the rows come from `matrix`

ROLES = ("anon", "nobody", "nina", "nora", "carol", "dave", "alice", "mona", "bob", "mike")
EXCLUDED_PREFIXES = {"admin/": "Django's admin site, covered by tests/test_admin.py"}

# Who sees or may do what with the objects of university A / network 1 / tambon_a (tambon_cross, in network 2's
# area, is also A's: so dave, RSI of network 2, sees university A but not tambon_a).
SEES_TAMBON = {"nina", "nora", "carol", "alice", "mona"}
SEES_UNIVERSITY = SEES_TAMBON | {"dave"}
SEES_NETWORK = {"nina", "nora", "carol"}
EDITS_TAMBON = {"nina", "alice", "mona"}
MANAGES_UNIVERSITY = {"nina", "mona"}
REVIEWERS = {"nina", "nora", "carol", "dave"}
NATIONAL = {"nina", "nora"}
STAFF_A = {"alice", "mona"}  # university A's reporter and manager
WITH_ROLE = set(ROLES) - {"anon", "nobody"}
LOGGED_IN = set(ROLES) - {"anon"}


def page(sees: set[str], ok: int = 200, *, may: set[str] | None = None, anon: int = 302) -> dict[str, int]:
    """A page's statuses: anonymous → `anon` (302 to login); in `sees` → `ok`, or 403 for those outside `may`;
    everyone else → 404 (out of scope is not found)."""
    table = {role: 404 for role in ROLES}
    table |= {role: ok if may is None or role in may else 403 for role in sees}
    table["anon"] = anon
    return table


def api(sees: set[str], ok: int = 200) -> dict[str, int]:
    """An API view: anonymous and role-less users are refused by the permission (403), the rest as `page`."""
    return page(sees, ok, anon=403) | {"nobody": 403 if "nobody" not in sees else ok}


def post_only(post: dict[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    """A @require_POST view: GET is 405 once logged in (login comes first)."""
    return {role: 302 if role == "anon" else 405 for role in ROLES}, post


def same(table: dict[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    """GET and POST answer alike (a page that ignores POST bodies, or a form re-shown with its errors)."""
    return table, table


def api_read(table: dict[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    """A read-only API view: POST is 405 once the permission lets the caller in."""
    return table, {role: 405 if status < 400 or status == 404 else status for role, status in table.items()}


def api_write(sees: set[str], ok: int, may: set[str] | None = None) -> tuple[dict[str, int], dict[str, int]]:
    """An API write (POST only): GET is 405 once the role check lets the caller in; POST as `page`, with the API's
    403 for anonymous and role-less callers."""
    get = {role: 403 if role in ("anon", "nobody") else 405 for role in ROLES}
    return get, page(sees, ok, may=may, anon=403) | {"nobody": 403}


@dataclass
class Case:
    kwargs: Any  # (world) → URL kwargs, or a dict
    get: dict[str, int]
    post: dict[str, int]
    data: Any = field(default_factory=dict)  # (world) → POST body
    query: str = ""
    writers: set[str] = field(default_factory=set)  # roles whose POST must write (proves the body and the check)


def review_body(attr: str):
    return lambda w: {"action": "accept", "version": getattr(w, attr).version}


TAMBON = {"tambon_id": lambda w: w.tambon_a.pk}
# fmt: off
CASES: dict[str, Case] = {
    # the unit tree
    "home": Case({}, *same({**{r: 302 for r in ROLES}, "nobody": 200})),
    "network_list": Case({}, *same(page(NATIONAL))),
    "network_detail": Case({"pk": lambda w: w.net1.pk}, *same(page(SEES_NETWORK))),
    "university_detail": Case({"pk": lambda w: w.university_a.pk}, *same(page(SEES_UNIVERSITY))),
    "tambon_list": Case({}, *same(page(LOGGED_IN))),
    "tambon_detail": Case({"pk": lambda w: w.tambon_a.pk}, *same(page(SEES_TAMBON))),
    # roster
    "roster_team": Case({"pk": lambda w: w.tambon_a.pk}, *same(page(SEES_TAMBON))),
    "roster_team_accept": Case({"pk": lambda w: w.tambon_a.pk},
                               *post_only(page(SEES_TAMBON, 302, may=EDITS_TAMBON))),
    "roster_team_export": Case({"pk": lambda w: w.tambon_a.pk}, *same(page(SEES_TAMBON))),
    "roster_contract_action": Case({"pk": lambda w: w.contract.pk, "action": "resign"},
                                   *same(page(SEES_TAMBON, may=EDITS_TAMBON))),
    "roster_university": Case({"pk": lambda w: w.university_a.pk},
                              *same(page(SEES_UNIVERSITY, may=MANAGES_UNIVERSITY))),
    "roster_template": Case({"pk": lambda w: w.university_a.pk},
                            *same(page(SEES_UNIVERSITY, may=MANAGES_UNIVERSITY))),
    "roster_university_export": Case({"pk": lambda w: w.university_a.pk},
                                     *same(page(SEES_UNIVERSITY, 302, may=MANAGES_UNIVERSITY))),
    "roster_certificates": Case({"pk": lambda w: w.university_a.pk},
                                page(SEES_UNIVERSITY, may=MANAGES_UNIVERSITY),
                                page(SEES_UNIVERSITY, 302, may=MANAGES_UNIVERSITY)),
    # the same door on a unit of the tree (university A's unit under network 1): its managers issue and print
    # a unit's import (a programme's tree): whoever manages a roster under it, as the unit's certificates
    "roster_unit": Case({"unit_id": lambda w: w.tambon_a.unit.parent_id}, *same(page(SEES_TAMBON, may=MANAGES_UNIVERSITY))),
    "roster_unit_template": Case({"unit_id": lambda w: w.tambon_a.unit.parent_id},
                                 *same(page(SEES_TAMBON, may=MANAGES_UNIVERSITY))),
    "roster_unit_certificates": Case({"unit_id": lambda w: w.tambon_a.unit.parent_id},
                                     page(SEES_TAMBON, may=MANAGES_UNIVERSITY),
                                     page(SEES_TAMBON, 302, may=MANAGES_UNIVERSITY)),
    "roster_national_export": Case({}, *same(page(NATIONAL, 302))),
    "roster_import_detail": Case({"pk": lambda w: w.roster_import.pk},
                                 *same(page(SEES_UNIVERSITY, may=MANAGES_UNIVERSITY))),
    "roster_import_progress": Case({"pk": lambda w: w.roster_import.pk},
                                   *same(page(SEES_UNIVERSITY, may=MANAGES_UNIVERSITY))),
    "roster_import_errors": Case({"pk": lambda w: w.roster_import.pk},
                                 *same(page(SEES_UNIVERSITY, may=MANAGES_UNIVERSITY))),
    "roster_import_confirm": Case({"pk": lambda w: w.roster_import.pk},
                                  *post_only(page(SEES_UNIVERSITY, 302, may=MANAGES_UNIVERSITY))),
    # the hiring chain (issue #15): payroll pages for university A's managers and the national staff
    "roster_changes": Case({"pk": lambda w: w.university_a.pk}, *same(page(SEES_UNIVERSITY, may=MANAGES_UNIVERSITY | NATIONAL))),
    "roster_changes_export": Case({"pk": lambda w: w.university_a.pk, "kind": "labour"},
                                  *same(page(SEES_UNIVERSITY, may=MANAGES_UNIVERSITY))),
    "roster_national_changes_export": Case({"kind": "follow-up"}, *same(page({"nina"}))),
    "roster_wages": Case({"pk": lambda w: w.university_a.pk}, page(SEES_UNIVERSITY, may=MANAGES_UNIVERSITY | NATIONAL),
                         page(SEES_UNIVERSITY, may=MANAGES_UNIVERSITY | NATIONAL)),
    "roster_wages_national": Case({}, page(NATIONAL), page(NATIONAL, may={"nina"})),
    "roster_work_reports": Case({"pk": lambda w: w.tambon_a.pk, "year": 2021, "month": 1}, page(SEES_TAMBON),
                                page(SEES_TAMBON, may=EDITS_TAMBON)),
    "roster_monthly_summary": Case({"pk": lambda w: w.university_a.pk, "year": 2021, "month": 1},
                                   *same(page(SEES_UNIVERSITY))),
    # the person's own report through a signed personal link: no login, the same for everyone
    "roster_personal_report": Case({"token": lambda w: personal_token(w.contract)}, *same({r: 200 for r in ROLES})),
    # budget and monthly reports
    "budget_table": Case(TAMBON, *same(page(SEES_TAMBON))),
    "budget_init": Case(TAMBON, *post_only(page(SEES_TAMBON, 302, may=EDITS_TAMBON))),
    "line_edit": Case(TAMBON | {"line_id": lambda w: w.line.pk}, *same(page(SEES_TAMBON, may=EDITS_TAMBON)),
                      data={"total": "x"}),
    "activity_create": Case(TAMBON, *same(page(SEES_TAMBON, may=EDITS_TAMBON))),
    "activity_edit": Case(TAMBON | {"activity_id": lambda w: w.activity.pk},
                          *same(page(SEES_TAMBON, may=EDITS_TAMBON))),
    "budget_export_tambon": Case(TAMBON, *same(page(SEES_TAMBON))),
    "budget_export_university": Case({"university_id": lambda w: w.university_a.pk},
                                     *same(page(SEES_UNIVERSITY, 302))),
    "report_detail": Case(TAMBON | {"year": 2021, "month": 1}, page(SEES_TAMBON),
                          page(SEES_TAMBON, may=EDITS_TAMBON), data={"narrative": "changed"}),
    # alice submitted the month: she and mona file for A (403 from the service); nina, nora and carol accept it
    "report_review": Case(TAMBON | {"year": 2021, "month": 1},
                          *post_only(page(SEES_TAMBON, 302, may=REVIEWERS)), data=review_body("monthly_report"), writers={"nina", "nora", "carol"}),
    "evidence_download": Case(TAMBON | {"evidence_id": lambda w: w.evidence.pk}, *same(page(SEES_TAMBON))),
    "evidence_delete": Case(TAMBON | {"evidence_id": lambda w: w.evidence.pk},
                            *post_only(page(SEES_TAMBON, 302, may=EDITS_TAMBON))),
    # POST is "accept the ticked ones" (issue #12): with nothing ticked it says so and goes back to the list
    "review_list": Case({}, page(REVIEWERS), page(REVIEWERS, 302)),
    # deadlines
    "completion_report": Case({"activity_id": lambda w: w.activity.pk}, page(SEES_TAMBON),
                              page(SEES_TAMBON, may=EDITS_TAMBON), data={"results": "changed"}),
    "completion_review": Case({"activity_id": lambda w: w.activity.pk},
                              *post_only(page(SEES_TAMBON, 302, may=REVIEWERS)), data=review_body("completion"), writers={"nina", "nora", "carol"}),
    "completion_file": Case({"file_id": lambda w: w.completion_file.pk}, *same(page(SEES_TAMBON))),
    "completion_file_delete": Case({"file_id": lambda w: w.completion_file.pk},
                                   *post_only(page(SEES_TAMBON, 302, may=EDITS_TAMBON))),
    "completion_list": Case({}, *same(page(LOGGED_IN))),
    "mou_list": Case({}, *same(page(LOGGED_IN))),
    # nobody has written the 12-month report yet: opening it must not create it, the first save does
    "mou_report": Case({"period": "12m", "owner": "university", "owner_id": lambda w: w.university_a.pk},
                       page(SEES_UNIVERSITY), page(SEES_UNIVERSITY, 302, may={"nina", "alice", "mona"}),
                       data={"summary": "Twelve months", "version": 0, "save": "1"}, writers={"nina", "alice", "mona"}),
    "mou_review": Case({"period": "6m", "owner": "university", "owner_id": lambda w: w.university_a.pk},
                       *post_only(page(SEES_UNIVERSITY, 302, may=REVIEWERS - {"dave"})), data=review_body("mou"), writers={"nina", "nora", "carol"}),
    # the 12-month impact report (issue #15 item 2): tambon_a's is submitted by alice; the exports print it
    "impact_list": Case({}, *same(page(WITH_ROLE))),
    "impact_report": Case({"owner": "tambon", "pk": lambda w: w.tambon_a.pk}, page(SEES_TAMBON),
                          page(SEES_TAMBON, may=EDITS_TAMBON), data={"summary": "x", "version": 0, "save": "1"}),
    "impact_review": Case({"owner": "tambon", "pk": lambda w: w.tambon_a.pk},
                          *post_only(page(SEES_TAMBON, 302, may=REVIEWERS)), data=review_body("impact"),
                          writers={"nina", "nora", "carol"}),
    "impact_export": Case({"owner": "tambon", "pk": lambda w: w.tambon_a.pk, "fmt": "xlsx"},
                          *same(page(SEES_TAMBON))),
    # unit monthly reports (issue #15 item 1): January's is unwritten (the first save creates it); February's
    # is submitted by alice, so the network's RSI and NSI accept it
    "unit_report_list": Case({}, *same(page(LOGGED_IN))),
    "unit_report": Case({"owner": "university", "owner_id": lambda w: w.university_a.pk, "year": 2021, "month": 1},
                        page(SEES_UNIVERSITY), page(SEES_UNIVERSITY, 302, may={"nina", "alice", "mona"}),
                        data={"narrative": "January", "version": 0, "save": "1"}, writers={"nina", "alice", "mona"}),
    "unit_report_review": Case({"owner": "university", "owner_id": lambda w: w.university_a.pk, "year": 2021,
                                "month": 2},
                               *post_only(page(SEES_UNIVERSITY, 302, may=REVIEWERS - {"dave"})),
                               data=review_body("unit_report"), writers={"nina", "nora", "carol"}),
    "instalment_list": Case({}, *same(page(REVIEWERS))),
    # assessment
    "class_overview": Case({}, *same(page(WITH_ROLE))),
    # the committee (NSI): with no tambon classified in the world, a confirmation is refused with a message
    "class_committee": Case({}, page(NATIONAL), page(NATIONAL, 302), data={"action": "confirm", "note": "x"}),
    "tambon_profile": Case({"pk": lambda w: w.tambon_a.pk}, *same(page(SEES_TAMBON))),
    "households_import": Case({"pk": lambda w: w.tambon_a.pk}, *post_only(page(SEES_TAMBON, 302, may=EDITS_TAMBON))),
    "activity_assessment": Case({"pk": lambda w: w.tambon_a.pk, "stage": "start"}, page(SEES_TAMBON),
                                page(SEES_TAMBON, 302, may=EDITS_TAMBON), data={"version": "new"}),
    # the quarter's assessments are submitted: nobody may change them (403 in scope)
    "tambon_assessment": Case({"pk": lambda w: w.tambon_a.pk, "quarter": "2021-Q1"},
                              page(SEES_TAMBON), page(SEES_TAMBON, may=set()), data={"notes": "changed"}),
    "university_assessment": Case({"pk": lambda w: w.university_a.pk, "quarter": "2021-Q1"},
                                  page(SEES_UNIVERSITY), page(SEES_UNIVERSITY, may=set()), data={"notes": "changed"}),
    "network_assessment": Case({"pk": lambda w: w.net1.pk, "quarter": "2021-Q1"},
                               page(SEES_NETWORK), page(SEES_NETWORK, may=set()), data={"notes": "changed"}),
    "assessment_review": Case({"kind": "tambon", "pk": lambda w: w.tambon_assessment.pk},
                              *post_only(page(SEES_TAMBON, 302, may=REVIEWERS)),
                              data=review_body("tambon_assessment"), writers={"nina", "nora", "carol"}),
    # dashboards
    # an RSI lands on its network's dashboard, university staff on their university's
    "dashboard": Case({}, *same(page(NATIONAL) | {r: 302 for r in ("carol", "dave", "alice", "mona", "bob", "mike")})),
    "dashboard_export": Case({"widget": "spending"}, *same(page(NATIONAL))),
    "dashboard_network": Case({"network_id": lambda w: w.net1.pk}, *same(page(SEES_NETWORK))),
    "dashboard_network_export": Case({"network_id": lambda w: w.net1.pk, "widget": "spending"},
                                     *same(page(SEES_NETWORK))),
    # university staff see their own university's dashboard and its tambons' (issue #12), not the levels above
    "dashboard_university": Case({"network_id": lambda w: w.net1.pk, "university_id": lambda w: w.university_a.pk},
                                 *same(page(SEES_NETWORK | STAFF_A))),
    "dashboard_university_export": Case({"network_id": lambda w: w.net1.pk, "widget": "spending",
                                         "university_id": lambda w: w.university_a.pk},
                                        *same(page(SEES_NETWORK | STAFF_A))),
    "dashboard_tambon": Case({"network_id": lambda w: w.net1.pk, "tambon_id": lambda w: w.tambon_a.pk},
                             *same(page(SEES_NETWORK | STAFF_A))),
    "dashboard_tambon_export": Case({"network_id": lambda w: w.net1.pk, "widget": "spending",
                                     "tambon_id": lambda w: w.tambon_a.pk}, *same(page(SEES_NETWORK | STAFF_A))),
    # a page of the unit tree (issue #14): network 1's unit, as its RSI and the NSI see it
    "dashboard_unit": Case({"unit_id": lambda w: w.tambon_a.unit.parent.parent_id}, *same(page(SEES_NETWORK))),
    "dashboard_unit_export": Case({"unit_id": lambda w: w.tambon_a.unit.parent.parent_id, "widget": "spending"},
                                  *same(page(SEES_NETWORK))),
    # the project's own pages
    "programme_switch": Case({}, *post_only(page(WITH_ROLE, 302)), data=lambda w: {"programme": w.programme.code}),
    "login": Case({}, *same({r: 200 for r in ROLES})),
    "logout": Case({}, {r: 405 for r in ROLES}, {r: 302 for r in ROLES}),
    "set_language": Case({}, *same({r: 302 for r in ROLES}), data={"language": "en"}),
    "health": Case({}, *same({r: 200 for r in ROLES})),
    # two-factor: NSI admins only (nina's session has passed it); everyone else is sent on (302)
    "two_factor_verify": Case({}, *same({**{r: 302 for r in ROLES}, "nina": 200})),
    "two_factor_enrol": Case({}, *same({r: 302 for r in ROLES})),
    "notification_list": Case({}, *same(page(LOGGED_IN))),
    "notification_read_all": Case({}, *post_only(page(LOGGED_IN, 302)), writers={"alice"}),
    # following a notification's link marks it read (the reader's own row; see GET_MAY_WRITE) and goes to the report
    "notification_open": Case({"pk": lambda w: w.notification.pk}, *same(page({"alice"}, 302))),
    "notification_settings": Case({}, *same(page(LOGGED_IN))),  # an empty POST is re-shown with its errors
    "line_link": Case({}, *post_only(page(LOGGED_IN, 302))),  # LINE is not configured in tests: nothing to link
    "line_webhook": Case({}, {r: 405 for r in ROLES}, {r: 404 for r in ROLES}),  # LINE's own door; off here
    "report_comment": Case({"content_type_id": lambda w: ContentType.objects.get_for_model(MonthlyReport).pk,
                            "object_id": lambda w: w.monthly_report.pk},
                           *post_only(page({"alice", "mona", "nina", "nora", "carol"}, 302))),
    "assessments_accept_selected": Case({}, *post_only(page(LOGGED_IN, 302))),  # nothing ticked: said, nothing done
    "notification_read": Case({"pk": lambda w: w.notification.pk}, *post_only(page({"alice"}, 302)),
                              writers={"alice"}),
    # a background export: its requester's alone (mona's university roster)
    "export_detail": Case({"pk": lambda w: w.export_job.pk}, *same(page({"mona"}))),
    "export_progress": Case({"pk": lambda w: w.export_job.pk}, *same(page({"mona"}))),
    "export_download": Case({"pk": lambda w: w.export_job.pk}, *same(page({"mona"}))),
    "export_restart": Case({"pk": lambda w: w.export_job.pk}, *post_only(page({"mona"}, 302)), writers={"mona"}),
    # the API
    "api-root": Case({}, *api_read(api(LOGGED_IN))),
    "api_token": Case({}, {r: 405 for r in ROLES}, {r: 400 for r in ROLES}),
    # the API's description is public (issue #17), its data is not
    "api_schema": Case({}, *api_read({r: 200 for r in ROLES})),
    "api_docs": Case({}, *api_read({r: 200 for r in ROLES})),
    "class_distribution_api": Case({}, *api_read(api(WITH_ROLE))),
    "tambon-list": Case({}, *api_read(api(WITH_ROLE))),
    "tambon-detail": Case({"pk": lambda w: w.tambon_a.pk}, *api_read(api(SEES_TAMBON))),
    "network-list": Case({}, *api_read(api(WITH_ROLE))),
    "network-detail": Case({"pk": lambda w: w.net1.pk}, *api_read(api(SEES_NETWORK))),
    "university-list": Case({}, *api_read(api(WITH_ROLE))),
    "university-detail": Case({"pk": lambda w: w.university_a.pk}, *api_read(api(SEES_UNIVERSITY))),
    "roster-contract-list": Case({}, *api_read(api(WITH_ROLE))),
    "roster-contract-detail": Case({"pk": lambda w: w.contract.pk}, *api_read(api(SEES_TAMBON))),
    "tambon-assessment-list": Case({}, *api_read(api(WITH_ROLE))),
    "tambon-assessment-detail": Case({"pk": lambda w: w.tambon_assessment.pk}, *api_read(api(SEES_TAMBON))),
    "university-assessment-list": Case({}, *api_read(api(WITH_ROLE))),
    "university-assessment-detail": Case({"pk": lambda w: w.university_assessment.pk},
                                         *api_read(api(SEES_UNIVERSITY))),
    "network-assessment-list": Case({}, *api_read(api(WITH_ROLE))),
    "network-assessment-detail": Case({"pk": lambda w: w.network_assessment.pk}, *api_read(api(SEES_NETWORK))),
    "classification-list": Case({}, *api_read(api(WITH_ROLE))),
    "classification-detail": Case({"pk": lambda w: w.classification.pk}, *api_read(api(SEES_TAMBON))),
    "api_budget_table": Case(TAMBON, *api_read(api(SEES_TAMBON))),
    "api_monthly_report": Case(TAMBON | {"year": 2021, "month": 1}, *api_read(api(SEES_TAMBON))),
    # API writes (issue #17): an empty body is refused by the input's rules (400) once scope and role are checked
    # a line and an activity are read (with their versions) where they are written
    "api_line_plan": Case(TAMBON | {"line_id": lambda w: w.line.pk},
                          api(SEES_TAMBON), api_write(SEES_TAMBON, 400, EDITS_TAMBON)[1]),
    "api_activity_create": Case(TAMBON, *api_write(SEES_TAMBON, 400, EDITS_TAMBON)),
    "api_activity_edit": Case(TAMBON | {"activity_id": lambda w: w.activity.pk},
                              api(SEES_TAMBON), api_write(SEES_TAMBON, 400, EDITS_TAMBON)[1]),
    "api_monthly_report_file": Case(TAMBON | {"year": 2021, "month": 1}, *api_write(SEES_TAMBON, 400, EDITS_TAMBON)),
    "api_monthly_report_review": Case(TAMBON | {"year": 2021, "month": 1}, *api_write(SEES_TAMBON, 200, REVIEWERS),
                                      data=review_body("monthly_report"), writers={"nina", "nora", "carol"}),
    "api_completion_file": Case({"activity_id": lambda w: w.activity.pk}, *api_write(SEES_TAMBON, 400, EDITS_TAMBON)),
    "api_completion_review": Case({"activity_id": lambda w: w.activity.pk}, *api_write(SEES_TAMBON, 200, REVIEWERS),
                                  data=review_body("completion"), writers={"nina", "nora", "carol"}),
    "api_mou_review": Case({"code": lambda w: w.programme.code, "period": "6m", "owner": "university",
                            "owner_id": lambda w: w.university_a.pk},
                           *api_write(SEES_UNIVERSITY, 200, REVIEWERS - {"dave"}), data=review_body("mou"),
                           writers={"nina", "nora", "carol"}),
    "api_tambon_assessment_file": Case({"tambon_id": lambda w: w.tambon_a.pk, "quarter": "2021-Q1"},
                                       *api_write(SEES_TAMBON, 400, EDITS_TAMBON)),
    "api_assessment_review": Case({"kind": "tambon", "pk": lambda w: w.tambon_assessment.pk},
                                  *api_write(SEES_TAMBON, 200, REVIEWERS), data=review_body("tambon_assessment"),
                                  writers={"nina", "nora", "carol"}),
    "api_roster_import_upload": Case({"university_id": lambda w: w.university_a.pk},
                                     *api_write(SEES_UNIVERSITY, 400, MANAGES_UNIVERSITY)),
    "api_roster_unit_import_upload": Case({"unit_id": lambda w: w.tambon_a.unit.parent_id},
                                          *api_write(SEES_TAMBON, 400, MANAGES_UNIVERSITY)),
    # an import is the university managers' (and the NSI admin's): 404 to everyone else, as if it did not exist
    "api_roster_import": Case({"pk": lambda w: w.roster_import.pk},
                              *api_read(api(MANAGES_UNIVERSITY) | {"nobody": 403})),
    "api_roster_import_confirm": Case({"pk": lambda w: w.roster_import.pk},
                                      *api_write(MANAGES_UNIVERSITY, 202), writers={"nina", "mona"}),
    "api_dashboard": Case({}, *api_read(api(NATIONAL))),
    # API clients (issue #17): a university's managers and a network's RSI; the client is mona's, of university A
    "api_client_list": Case({}, *same(page({"carol", "dave", "mona", "mike"}, may={"carol", "dave", "mona", "mike"})
                                      | {r: 403 for r in ("nobody", "nina", "nora", "alice", "bob")})),
    "api_client_rotate": Case({"pk": lambda w: w.api_client.pk}, *post_only(page({"mona"})), writers={"mona"}),
    "api_client_revoke": Case({"pk": lambda w: w.api_client.pk}, *post_only(page({"mona"}, 302)), writers={"mona"}),
    # open data: public, read only
    "opendata_index": Case({}, {r: 200 for r in ROLES}, {r: 405 for r in ROLES}),
    "opendata_catalogue": Case({}, {r: 200 for r in ROLES}, {r: 405 for r in ROLES}),
    "opendata_programme": Case({"code": lambda w: w.programme.code}, {r: 200 for r in ROLES}, {r: 405 for r in ROLES}),
    "opendata_download": Case({"code": lambda w: w.programme.code, "slug": "hiring", "extension": "csv"},
                              {r: 200 for r in ROLES}, {r: 405 for r in ROLES}),
    "api_dashboard_network": Case({"network_id": lambda w: w.net1.pk}, *api_read(api(SEES_NETWORK))),
    "api_dashboard_university": Case({"network_id": lambda w: w.net1.pk,
                                      "university_id": lambda w: w.university_a.pk},
                                     *api_read(api(SEES_NETWORK | STAFF_A))),
    "api_dashboard_tambon": Case({"network_id": lambda w: w.net1.pk, "tambon_id": lambda w: w.tambon_a.pk},
                                 *api_read(api(SEES_NETWORK | STAFF_A))),
    "api_dashboard_unit": Case({"unit_id": lambda w: w.tambon_a.unit.parent.parent_id},
                               *api_read(api(SEES_NETWORK))),
}
# fmt: on
FORMAT_SUFFIX = "json"  # the router's ".json" twins of each API pattern answer as the plain pattern


# --- the world ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, tmp_path_factory):
    """The conftest world plus one object of every kind a URL names, all of university A / network 1 / tambon_a,
    built once; rolled back when the module ends."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _file(name: str, content: bytes = b"%PDF-1.4 evidence") -> ContentFile:
    return ContentFile(content, name=name)


def _build():
    w = build_world()
    w.net1 = w.university_a.network
    w.mike = _member("mike", Role.UNIVERSITY_MANAGER, university=w.university_b)
    services.budget_plan_init(tambon=w.tambon_a, user=None)
    services.budget_plan_init(tambon=w.tambon_b, user=None)
    w.line = w.tambon_a.budget_lines.order_by("id").first()
    w.activity = make_activity(w.tambon_a, "Market day")
    w.monthly_report = MonthlyReport.objects.create(tambon=w.tambon_a, year=2021, month=1, narrative="January")
    w.evidence = Evidence.objects.create(report=w.monthly_report, file=_file("jan.pdf"), name="jan.pdf",
                                         content_type="application/pdf", size=17, uploaded_by=w.alice)  # fmt: skip
    w.completion = CompletionReport.objects.create(activity=w.activity, due_on=dt.date(2021, 3, 8), results="Done")
    w.completion_file = CompletionFile.objects.create(report=w.completion, file=_file("done.pdf"), name="done.pdf",
                                                      content_type="application/pdf", size=17, uploaded_by=w.alice)  # fmt: skip
    w.mou = MouReport.objects.create(programme=w.programme, period="6m", university=w.university_a,
                                     summary="Half a year", results="Markets")  # fmt: skip
    w.tambon_assessment = TambonAssessment.objects.create(tambon=w.tambon_a, programme=w.programme, quarter="2021-Q1")
    w.university_assessment = UniversityAssessment.objects.create(university=w.university_a, programme=w.programme,
                                                                  quarter="2021-Q1")  # fmt: skip
    w.network_assessment = NetworkAssessment.objects.create(network=w.net1, programme=w.programme, quarter="2021-Q1")
    w.impact = ImpactReport.objects.create(programme=w.programme, tambon=w.tambon_a, summary="s", impact="i")
    w.unit_report = UnitMonthlyReport.objects.create(programme=w.programme, year=2021, month=2,
                                                     university=w.university_a, narrative="February")  # fmt: skip
    for report in (w.monthly_report, w.completion, w.mou, w.tambon_assessment, w.university_assessment,
                   w.unit_report, w.impact):  # fmt: skip
        review.review_submit(obj=report, user=w.alice)
    review.review_submit(obj=w.network_assessment, user=w.carol)
    for name in (
        "monthly_report",
        "completion",
        "mou",
        "tambon_assessment",
        "network_assessment",
        "unit_report",
        "impact",
    ):
        getattr(w, name).refresh_from_db()
    w.classification = TambonClassification.objects.create(tambon=w.tambon_a, programme=w.programme,
                                                           quarter="2021-Q1", goals_met=3, classified_at=timezone.now(), assessment=w.tambon_assessment)  # fmt: skip
    person = Person.objects.create(national_id=national_id(1), first_name="Somchai", last_name="Jaidee")
    w.contract = Contract.objects.create(person=person, tambon=w.tambon_a, start_date=dt.date(2021, 1, 1),
                                         hiring_type=HiringType.objects.filter(programme=w.programme).first())  # fmt: skip
    sheet = write_workbook([], type_names=hiring_type_names(w.programme))
    w.roster_import = RosterImport.objects.create(university=w.university_a, file=_file("roster.xlsx", sheet),
                                                  original_name="roster.xlsx", status=ImportStatus.PREVIEW,
                                                  errors=[{"row": 2, "column": "x", "message": "bad"}],
                                                  created_by=w.mona)  # fmt: skip
    w.notification = Notification.objects.create(user=w.alice, subject="Due soon", url="/")
    w.export_job = ExportJob.objects.create(
        kind="roster_university", params=university_roster_params(user=w.mona, university=w.university_a,
                                                                  programme=w.programme),
        key="k", requested_by=w.mona, status=JobStatus.DONE, file=_file("roster.xlsx", sheet),
        filename="roster.xlsx", content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )  # fmt: skip
    w.api_client, _key = api_client_create(user=w.mona, name="Finance system", university=w.university_a)
    # rows of another unit, to put under this unit's URLs (MIXED); network 3 has no tambon at all
    w.net3 = NetworkFactory(number=3)
    w.line_b = w.tambon_b.budget_lines.order_by("id").first()
    w.activity_b = make_activity(w.tambon_b, "Fair")
    report_b = MonthlyReport.objects.create(tambon=w.tambon_b, year=2021, month=1)
    w.evidence_b = Evidence.objects.create(report=report_b, file=_file("b.pdf"), name="b.pdf",
                                           content_type="application/pdf", size=17, uploaded_by=w.bob)  # fmt: skip
    return w


# --- how a request is made and checked ------------------------------------------------------------------------


def _patterns(patterns=None, prefix: str = ""):
    """Every routed pattern: (route text, pattern), walking includes recursively."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def _kwarg_names(pattern: URLPattern) -> set[str]:
    return set(pattern.pattern.regex.groupindex)


class Writes:
    """Records every statement that changed rows (INSERT, UPDATE, DELETE with a row count above 0), whichever
    model or table: a GET must record none. Sessions are left out: logging in and out writes them by design."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        verb = sql.lstrip().split(" ", 1)[0].upper()
        # an INSERT always writes (with RETURNING, SQLite counts its rows only once they are fetched)
        wrote = verb == "INSERT" or verb in ("UPDATE", "DELETE") and context["cursor"].rowcount != 0
        if wrote and "django_session" not in sql:
            self.seen.append(" ".join(sql.split()[:4])[:80])
        return result


def _clients(w) -> dict[str, Client]:
    clients = {}
    for role in ROLES:
        client = Client(raise_request_exception=True)
        if role != "anon":
            client.force_login(getattr(w, role))
            pass_two_factor(client, getattr(w, role))  # an NSI admin's session as after the right code
        clients[role] = client
    return clients


def _request(client: Client, method: str, url: str, data: dict) -> tuple[int, str, list[str]]:
    """(status, where it redirects or what it raised, the writes it made), in a savepoint rolled back afterwards;
    an exception is reported as a 500."""
    writes = Writes()
    cache.delete("throttle_api_token_127.0.0.1")  # the token endpoint's rate limit has its own test
    cookies = copy.deepcopy(client.cookies)  # logging out (or in) changes the session; the next request needs it
    with transaction.atomic(), connection.execute_wrapper(writes):
        try:
            response = client.post(url, data) if method == "post" else client.get(url)
            status, note = response.status_code, response.get("Location", "")
        except Exception as error:  # noqa: BLE001 - the matrix reports every failure at once
            status, note = 500, f"{type(error).__name__}: {error}"[:200]
        transaction.set_rollback(True)
    client.cookies = cookies
    return status, note, writes.seen


def _reverse(pattern: URLPattern, kwargs: dict) -> str:
    """The URL of this very pattern; a DRF format-suffix twin gets "json" (the API root's converter wants ".json")."""
    if "format" not in _kwarg_names(pattern):
        return reverse(pattern.name, kwargs=kwargs)
    for suffix in (FORMAT_SUFFIX, f".{FORMAT_SUFFIX}"):
        try:
            return reverse(pattern.name, kwargs=kwargs | {"format": suffix})
        except NoReverseMatch:
            continue
    raise NoReverseMatch(pattern.name)


def _resolve(value, w):
    return value(w) if callable(value) else value


def _urls(w) -> tuple[list[tuple[URLPattern, Case, str]], list[str]]:
    """(pattern, its case, its URL) for every routed pattern, and what could not be registered or filled."""
    urls, problems = [], []
    for route, pattern in _patterns():
        if any(route.startswith(prefix) for prefix in EXCLUDED_PREFIXES):
            continue
        case = CASES.get(pattern.name)
        if case is None:
            problems.append(
                f"no entry in CASES (add one with its status table): {pattern.name or '(unnamed)'}: {route}"
            )
            continue
        kwargs = {name: _resolve(value, w) for name, value in _resolve(case.kwargs, w).items()}
        missing = _kwarg_names(pattern) - set(kwargs) - {"format"}
        if missing:
            problems.append(f"cannot fill {sorted(missing)} of {pattern.name}: {route}")
            continue
        kwargs = {k: v for k, v in kwargs.items() if k in _kwarg_names(pattern)}
        urls.append((pattern, case, _reverse(pattern, kwargs) + case.query))
    return urls, problems


# Another unit's row for each kwarg that names one: a URL that puts it under this unit's parent (or this unit's
# row under another parent) is 404 for everyone, whatever the order of lookups in the view, national users too.
# GETs that may write, each with its reason; every other GET must write nothing.
GET_MAY_WRITE = {
    "notification_open": "following a notification's link marks that notification read for its reader",
    **dict.fromkeys(
        ["roster_university_export", "roster_national_export", "budget_export_university"],
        "an export's old link starts the person's background job (pbm/jobs.py) and shows its page",
    ),
}

MIXED = {
    "tambon_id": lambda w: w.tambon_b.pk, "line_id": lambda w: w.line_b.pk, "activity_id": lambda w: w.activity_b.pk,
    "evidence_id": lambda w: w.evidence_b.pk, "network_id": lambda w: w.net3.pk,
    "university_id": lambda w: w.university_b.pk,
}  # fmt: skip


def _mixed_urls(w) -> list[tuple[URLPattern, Case, str]]:
    """For each pattern naming two or more rows, its URL with one of them swapped for another unit's, and the
    case it must answer: 404 wherever the in-scope URL would not be refused earlier (login, permission, 405)."""
    mixed = []
    for route, pattern in _patterns():
        case = CASES.get(pattern.name)
        names = sorted(_kwarg_names(pattern) & set(MIXED))
        if case is None or len(names) < 2 or any(route.startswith(p) for p in EXCLUDED_PREFIXES):
            continue
        kwargs = {k: _resolve(v, w) for k, v in _resolve(case.kwargs, w).items() if k in _kwarg_names(pattern)}
        for name in names:
            url = _reverse(pattern, kwargs | {name: MIXED[name](w)})

            def not_found(table: dict[str, int]) -> dict[str, int]:
                return {
                    r: s if s == 405 or r == "anon" or s == 403 and r == "nobody" else 404 for r, s in table.items()
                }

            mixed.append((pattern, Case(case.kwargs, not_found(case.get), not_found(case.post), case.data), url))
    return mixed


def _check(case: Case, name: str, method: str, url: str, role: str, result) -> list[str]:
    status, note, writes = result
    expected = (case.get if method == "get" else case.post)[role]
    said = f"{method.upper()} {url} as {role}"
    failures = [f"{said}: {status}, expected {expected} {note}"] if status != expected else []
    if writes and (method == "get" and name not in GET_MAY_WRITE or expected >= 400 or role == "anon"):
        failures.append(f"{said} ({status}) wrote: {writes}")
    if method == "post" and role in case.writers and not writes:
        failures.append(f"{said} ({status}) wrote nothing; it should have")
    if role == "anon" and status == 302 and "/login/" not in note and name != "set_language":
        failures.append(f"{said}: redirected to {note}, not to the login page")
    return failures


def test_every_url_answers_every_role_as_its_table_says_and_get_never_writes(matrix):
    clients = _clients(matrix)
    urls, problems = _urls(matrix)
    mixed = _mixed_urls(matrix)
    assert len(mixed) >= 20, mixed  # line, activity, evidence and the dashboards' network/unit pairs
    failures, checked = [], 0
    for pattern, case, url in urls + mixed:
        data = _resolve(case.data, matrix)
        for method in ("get", "post"):
            for role in ROLES:
                failures += _check(case, pattern.name, method, url, role, _request(clients[role], method, url, data))
                checked += 1
    assert not problems, "URL patterns the matrix does not cover:\n  " + "\n  ".join(problems)
    assert not failures, f"{len(failures)} of {checked} requests went wrong:\n  " + "\n  ".join(failures)


def test_an_id_past_the_integer_range_is_404_never_500(matrix):
    """Every integer in every URL, one at a time, set past what the database stores: not found, for the NSI admin
    who sees everything (405 where the method is refused first)."""
    nina = _clients(matrix)["nina"]
    failures, checked = [], 0
    for pattern, case, _url in _urls(matrix)[0]:
        kwargs = {k: _resolve(v, matrix) for k, v in _resolve(case.kwargs, matrix).items()}
        kwargs = {k: v for k, v in kwargs.items() if k in _kwarg_names(pattern)}
        for name in [k for k, v in kwargs.items() if isinstance(v, int)]:
            url = _reverse(pattern, kwargs | {name: HUGE})
            for method in ("get", "post"):
                status, note, writes = _request(nina, method, url, {})
                checked += 1
                if status not in (404, 405) or writes:
                    failures.append(f"{method.upper()} {url}: {status} {note} {writes or ''}")
    assert checked > 80, checked
    assert not failures, "\n  ".join(failures)


HUGE = 99999999999999999999


# --- junk in API filters ------------------------------------------------------------------------------------

JUNK = ("x", "99999999999999999999", "<script>", "-1")
NOT_FILTERS = {"page", "format"}  # pagination (DRF answers 404 for a page past the end) and the renderer choice


def _params_read(client: Client, url: str) -> set[str]:
    """The query parameters a view reads during a plain GET: looked up on the QueryDict, or declared by the
    QueryFilters it validates with. A filter added tomorrow is found the same way."""
    seen: set[str] = set()
    originals = {name: getattr(QueryDict, name) for name in ("get", "__getitem__", "__contains__", "getlist")}

    def spy(name):
        def method(self, key, *args, **kwargs):
            seen.add(key)
            return originals[name](self, key, *args, **kwargs)

        return method

    read = QueryFilters.read.__func__

    def read_spy(cls, request):
        seen.update(cls().fields)
        return read(cls, request)

    try:
        for name in originals:
            setattr(QueryDict, name, spy(name))
        QueryFilters.read = classmethod(read_spy)
        _request(client, "get", url, {})
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)
        QueryFilters.read = classmethod(read)
    return seen - NOT_FILTERS


def test_junk_in_every_api_filter_answers_400_with_a_message(matrix):
    client = _clients(matrix)["nina"]  # the NSI admin sees everything, so nothing is 404 for scope
    urls, _problems = _urls(matrix)
    failures, checked = [], 0
    for _pattern, _case, url in urls:
        if not url.startswith("/api/v1/"):
            continue  # /api/schema/ and /api/docs/ document the API; they filter nothing
        for param in sorted(_params_read(client, url)):
            for junk in JUNK:
                status, note, _writes = _request(client, "get", f"{url}?{param}={quote(junk)}", {})
                checked += 1
                if status != 400:
                    failures.append(f"GET {url}?{param}={junk}: {status}, expected 400 {note}")
    assert checked > 50, checked  # the spy found the filters
    assert not failures, f"{len(failures)} of {checked} junk filters went wrong:\n  " + "\n  ".join(failures)


def test_a_url_without_a_status_table_or_with_kwargs_nobody_fills_is_reported(matrix, monkeypatch):
    """What makes the matrix cover a new URL the day it is added: it is listed until registered in CASES."""
    monkeypatch.delitem(CASES, "health")
    monkeypatch.setitem(CASES, "line_edit", Case(TAMBON, *same(page(SEES_TAMBON))))  # no line_id
    _urls_found, problems = _urls(matrix)
    assert any(p.startswith("no entry in CASES") and "health" in p for p in problems), problems
    assert any(p.startswith("cannot fill ['line_id'] of line_edit") for p in problems), problems
