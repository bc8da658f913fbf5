"""Public open-data pages and downloads, per programme (/open/<code>/): no login, aggregates only, served from the
cache (opendata/figures.py), with CSV and JSON downloads and a DCAT-AP catalogue for CKAN harvesters."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from pbm.exports import safe_cell
from pbm.formats import be_year, date_be, month_label

from . import dcat
from .figures import DATASETS, GROUPINGS, SMALL_GROUP, programme_codes, programme_data

PUBLIC_SECONDS = 300  # how long a browser or proxy may keep a page or download


def _public(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = f"public, max-age={PUBLIC_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site or script may read it
    return response


def _data_or_404(code: str) -> dict:
    data = programme_data(code)
    if data is None:
        raise Http404("No such programme")
    return data


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return _public(render(request, "opendata/index.html", {"programmes": programme_codes()}))


@require_safe
def programme(request: HttpRequest, code: str) -> HttpResponse:
    data = _data_or_404(code)
    grouping = request.GET.get("by", "network")
    if grouping not in GROUPINGS or set(request.GET) - {"by"}:
        return HttpResponseBadRequest(_("Group the figures by province, network or university (?by=network)."))
    rows = {slug: [r for r in data["datasets"][slug] if r["grouping"] == grouping] for slug in DATASETS}
    last_quarter = rows["classes"][-1]["quarter"] if rows["classes"] else None
    through = rows["tambons"][0]["through_month"] if rows["tambons"] else None
    year, _q, number = (last_quarter or "0-Q0").partition("-Q")
    return _public(render(request, "opendata/programme.html", {
        "data": data, "grouping": grouping, "groupings": list(GROUPINGS), "datasets": DATASETS.values(),
        "tambons": rows["tambons"], "hiring": rows["hiring"], "small_group": SMALL_GROUP,
        "reporting": [r for r in rows["reporting"] if r["month"] == through],
        "classes": _classes_table(r for r in rows["classes"] if r["quarter"] == last_quarter),
        "through": through, "through_label": month_label(*map(int, through.split("-"))) if through else "",
        "quarter": last_quarter, "quarter_label": f"{be_year(int(year))}-Q{number}" if last_quarter else "",
        "modified_label": date_be(dt.date.fromisoformat(data["modified"])),
    }))  # fmt: skip


def _classes_table(rows) -> dict:
    """{"bands": [...], "rows": [(group name, tambons, assessed, [count per band])]} for the page."""
    bands, groups = [], {}
    for row in rows:
        if row["band_name"] not in bands:
            bands.append(row["band_name"])
        group = groups.setdefault(row["group_code"], [row["group_name"], row["tambons"], row["assessed"], []])
        group[3].append(row["band_tambons"])
    return {"bands": bands, "rows": list(groups.values())}


@require_safe
def download(request: HttpRequest, code: str, slug: str, extension: str) -> HttpResponse:
    data = _data_or_404(code)
    if slug not in DATASETS or extension not in dcat.FORMATS:
        raise Http404("No such dataset")
    spec, rows = DATASETS[slug], data["datasets"][slug]
    filename = f"{code}-{slug}.{extension}"
    if extension == "json":
        response = JsonResponse(
            {"programme": data["programme"], "dataset": slug, "title": spec.title_en, "modified": data["modified"],
             "license": settings.OPEN_DATA_LICENSE, "columns": list(spec.columns), "rows": rows},
            encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False},
        )  # fmt: skip
    else:
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens Thai text as UTF-8 with the byte-order mark
        writer = csv.writer(buffer)
        writer.writerow(spec.columns)
        for row in rows:
            writer.writerow([safe_cell("" if row[c] is None else str(row[c])) for c in spec.columns])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _public(response)


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    body = json.dumps(dcat.catalogue(settings.SITE_URL.rstrip("/")), ensure_ascii=False, cls=DjangoJSONEncoder)
    return _public(HttpResponse(body, content_type="application/ld+json; charset=utf-8"))
