"""The programme's open data: aggregate figures per province, network and university, read from the dashboards'
selectors (reporting/dashboard/selectors.py, one home per figure), with every count of people under
`SMALL_GROUP` suppressed so that no figure can point at a person.

Nothing here names a person, a national ID, a tambon's team or a report's text: only counts and sums per group."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.utils import translation

from assessment.quarters import programme_quarters
from reporting.dashboard import selectors as dash
from reporting.dashboard.models import TambonFigures
from tambon.models import Network, Programme, Province, Tambon, University

SMALL_GROUP = 5  # a count of people below this is not published (nor any figure it could be worked out from)
GROUPINGS = {  # grouping → the Tambon field the dashboards' widgets group by
    "province": "subdistrict__district__province_id",
    "network": "network_id",
    "university": "university_id",
}


@dataclass(frozen=True)
class Dataset:
    slug: str
    title_th: str
    title_en: str
    description_en: str
    columns: tuple[str, ...]


GROUP_COLUMNS = ("grouping", "group_code", "group_name")
DATASETS = {
    d.slug: d
    for d in (
        Dataset("tambons", "ตำบลและงบประมาณ", "Tambons and budget",
                "Per province, network and university: tambons in the programme, their budget by kind, and the "
                "cumulative plan and spending through the latest reported month.",
                (*GROUP_COLUMNS, "tambons", "budget_hiring", "budget_activity", "budget_management", "budget_total",
                 "through_month", "plan_cumulative", "actual_cumulative", "percent_of_plan")),
        Dataset("spending-by-month", "แผนและการใช้จ่ายรายเดือน", "Plan and spending by month",
                "Per province, network and university and programme month: planned and actual spending by kind "
                "(hiring, activities, management).",
                (*GROUP_COLUMNS, "month", "plan_hiring", "actual_hiring", "plan_activity", "actual_activity",
                 "plan_management", "actual_management", "plan_total", "actual_total")),
        Dataset("hiring", "การจ้างงานเทียบโควตา", "Hiring filled against quota",
                "Per province, network and university: people hired (active contracts) against the quota. "
                f"Counts under {SMALL_GROUP} are left empty.",
                (*GROUP_COLUMNS, "quota", "hired", "fill_percent")),
        Dataset("classes", "ระดับการพัฒนาตำบลรายไตรมาส", "Tambon classes per quarter",
                "Per province, network and university and quarter: tambons in each class from accepted assessments.",
                (*GROUP_COLUMNS, "quarter", "tambons", "assessed", "band", "band_name", "band_tambons")),
        Dataset("reporting", "ความครบถ้วนของการรายงาน", "Reporting completeness",
                "Per province, network and university and month: monthly reports expected, submitted, on time and "
                "accepted.",
                (*GROUP_COLUMNS, "month", "expected", "submitted", "on_time", "accepted")),
    )
}  # fmt: skip


def _level(programme: Programme, key: str) -> dash.Level:
    tambons = Tambon.objects.filter(programme=programme, is_active=True)
    return dash.Level(kind="national", programme=programme, tambons=tambons, key=key)


def _children(programme: Programme, grouping: str) -> list[dash.Child]:
    """The groups with active tambons in the programme, named as the public reads them (no person's name)."""
    tambons = Tambon.objects.filter(programme=programme, is_active=True)
    if grouping == "province":
        rows = Province.objects.filter(code__in=tambons.values("subdistrict__district__province_id")).order_by("code")
        return [dash.Child(p.code, p.name_th, "province") for p in rows]
    if grouping == "network":
        rows = Network.objects.filter(pk__in=tambons.values("network_id")).order_by("number")
        return [dash.Child(n.pk, str(n), "network") for n in rows]
    rows = University.objects.filter(pk__in=tambons.values("university_id")).order_by("code")
    return [dash.Child(u.pk, u.name_th, "university") for u in rows]


def _code(grouping: str, child: dash.Child, codes: dict) -> str:
    return str(codes.get(child.pk, child.pk))


def _month(month: tuple[int, int]) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def _people(count: int | None) -> int | None:
    """A count of people as published: None (left empty, shown "<5") when under SMALL_GROUP."""
    return None if count is None or count < SMALL_GROUP else count


def suppress_complement(rows: list[dict], column: str) -> None:
    """Secondary suppression: when exactly one group's count is suppressed, the published total would give it
    away, so the next smallest count is suppressed too."""
    hidden = [r for r in rows if r[column] is None and r["_raw"] > 0]
    shown = sorted((r for r in rows if r[column] is not None), key=lambda r: r[column])
    if len(hidden) == 1 and shown:
        shown[0][column] = None


def build(programme: Programme) -> dict[str, list[dict]]:
    """Every dataset's rows for the programme (a few dozen aggregate queries, run once per data version), with
    the groups' Thai names whatever the language of the visitor who happened to fill the cache."""
    with translation.override("th"):
        return _build(programme)


def _build(programme: Programme) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {slug: [] for slug in DATASETS}
    months = programme.months()
    period = dash.period_for(programme)
    quarters = programme_quarters(programme)
    codes = {
        "network": dict(Network.objects.values_list("pk", "number")),
        "university": dict(University.objects.values_list("pk", "code")),
        "province": {},
    }
    for grouping, key in GROUPINGS.items():
        level, kids = _level(programme, key), _children(programme, grouping)
        head = {c.pk: {"grouping": grouping, "group_code": _code(grouping, c, codes[grouping]), "group_name": c.name}
                for c in kids}  # fmt: skip
        hiring = dash.hiring(level, period, kids)
        hiring_rows = [{**head[r.child.pk], "quota": r.quota_total, "hired": _people(r.hired_total),
                        "_raw": r.hired_total} for r in hiring.rows]  # fmt: skip
        suppress_complement(hiring_rows, "hired")
        private = {r["group_code"] for r in hiring_rows if r["hired"] is None}  # wages would count its people
        for r in hiring_rows:
            r["fill_percent"] = (
                dash._percent(Decimal(r["_raw"]), Decimal(r["quota"])) if r["hired"] is not None else None
            )
            del r["_raw"]
        out["hiring"] += hiring_rows

        spending = dash.spending(level, period, kids)
        for row in spending.rows:
            hidden = head[row.child.pk]["group_code"] in private
            k = row.kinds
            out["tambons"].append({
                **head[row.child.pk], "tambons": row.tambons,
                "budget_hiring": k["hiring"].total, "budget_activity": k["activity"].total,
                "budget_management": k["management"].total, "budget_total": row.total,
                "through_month": _month(period.through),
                "plan_cumulative": row.plan, "actual_cumulative": None if hidden else row.actual,
                "percent_of_plan": None if hidden else row.percent,
            })  # fmt: skip
        sums = dash.monthly_sums(level)
        for child in kids:
            hidden = head[child.pk]["group_code"] in private
            for month in months:
                figures = {kind: sums.get((child.pk, *month, kind), (dash.ZERO, dash.ZERO)) for kind in dash.KINDS}
                row = {**head[child.pk], "month": _month(month)}
                for kind, (plan, actual) in figures.items():
                    row[f"plan_{kind}"] = plan
                    row[f"actual_{kind}"] = None if hidden and kind == "hiring" else actual
                row["plan_total"] = sum((p for p, _a in figures.values()), dash.ZERO)
                row["actual_total"] = None if hidden else sum((a for _p, a in figures.values()), dash.ZERO)
                out["spending-by-month"].append(row)

        for quarter in quarters:
            widget = dash.classification(level, dash.period_for(programme, quarter=quarter), kids)
            for row in widget.rows:
                for band in widget.bands:
                    out["classes"].append({**head[row.child.pk], "quarter": str(quarter), "tambons": row.tambons,
                                           "assessed": row.assessed, "band": band.code, "band_name": band.name_th,
                                           "band_tambons": row.bands.get(band.pk, 0)})  # fmt: skip

        reports = dash.report_figures(level)
        for month in months:
            items, _total = dash.completeness(level, dash.Period(programme, [month], period.quarter, "month"), kids,
                                              reports)  # fmt: skip
            for item in items:
                out["reporting"].append({**head[item.child.pk], "month": _month(month), "expected": item.expected,
                                         "submitted": item.submitted, "on_time": item.on_time,
                                         "accepted": item.accepted})  # fmt: skip
    return out


# --- cached: a visitor costs two cache reads; the database is asked only when the data version changes --------

VERSION_SECONDS = 300  # how long a data version is trusted before one visitor's request checks it again
BUILD_SECONDS = 300  # while one request builds a new version, the others serve the previous one (at most this long)


def _version_of(programme: Programme) -> str:
    stamp = TambonFigures.objects.filter(tambon__programme=programme).aggregate(at=Max("refreshed_at"))["at"]
    return stamp.strftime("%Y%m%dT%H%M%S") if stamp else "0"


def programme_data(code: str) -> dict | None:
    """{"programme", "version", "modified", "datasets": {slug: rows}} for the programme with this code (None: no
    such programme), from the cache keyed by programme and data version. The data version (when the dashboards'
    summaries, which every save refreshes, last changed) is itself cached for VERSION_SECONDS, so a visitor costs
    two cache reads, and the database is asked once per VERSION_SECONDS, and rebuilt from only when it moved."""
    version_key = f"opendata:version:{code}"
    version, programme = cache.get(version_key), None
    if version is None:
        programme = Programme.objects.filter(code=code).first()
        if programme is None:
            return None
        version = _version_of(programme)
        cache.set(version_key, version, VERSION_SECONDS)
    key, latest, building = f"opendata:figures:{code}:{version}", f"opendata:latest:{code}", f"opendata:building:{code}"
    data = cache.get(key)
    if data is None and not cache.add(building, 1, BUILD_SECONDS):
        # another visitor is building this version: meanwhile everyone gets the version before it, if any
        data = cache.get(latest)
    if data is None:
        try:
            programme = programme or Programme.objects.filter(code=code).first()
            if programme is None:
                return None
            data = {
                "programme": {"code": programme.code, "name_th": programme.name_th, "name_en": programme.name_en,
                              "start_date": programme.start_date.isoformat(),
                              "end_date": programme.end_date.isoformat()},
                "version": version, "modified": _modified(version), "datasets": build(programme),
            }  # fmt: skip
            lifetime = getattr(settings, "OPEN_DATA_CACHE_SECONDS", 24 * 60 * 60)
            cache.set_many({key: data, latest: data}, lifetime)
        finally:
            cache.delete(building)  # built, or broken: the next visitor may try
    return data


def _modified(version: str) -> str:
    if version == "0":
        return dt.date.today().isoformat()
    return dt.datetime.strptime(version, "%Y%m%dT%H%M%S").date().isoformat()


def programme_codes() -> list[dict]:
    """The programmes with open data (cached for VERSION_SECONDS): code and names."""
    codes = cache.get("opendata:programmes")
    if codes is None:
        codes = [{"code": p.code, "name_th": p.name_th, "name_en": p.name_en}
                 for p in Programme.objects.order_by("-start_date", "code")]  # fmt: skip
        cache.set("opendata:programmes", codes, VERSION_SECONDS)
    return codes
