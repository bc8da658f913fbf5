"""The open-data catalogue as DCAT-AP in JSON-LD: one dcat:Catalog, a dcat:Dataset per programme and table, a
dcat:Distribution per download (CSV, JSON). The properties are those ckanext-dcat's DCAT-AP profile reads when a
CKAN portal (data.go.th) harvests it: dct:title/description/publisher/issued/modified/identifier/license,
dcat:keyword/landingPage/contactPoint/distribution, and dcat:accessURL/downloadURL/mediaType with dct:format."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from .figures import DATASETS, programme_codes, programme_data

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
FORMATS = {  # extension → (IANA media type, EU file-type authority)
    "csv": ("text/csv", "CSV"),
    "json": ("application/json", "JSON"),
}


def _text(th: str, en: str) -> list[dict]:
    return [{"@value": th, "@language": "th"}] + ([{"@value": en, "@language": "en"}] if en else [])


def _date(value: str) -> dict:
    return {"@value": value, "@type": "xsd:date"}


def _publisher(site: str) -> dict:
    return {"@id": f"{site}/open/#publisher", "@type": "foaf:Agent", "foaf:name": settings.OPEN_DATA_PUBLISHER}


def catalogue(site: str) -> dict:
    """The whole catalogue; `site` is the absolute origin (https://pbm.example)."""
    license_ = {"@id": settings.OPEN_DATA_LICENSE}
    datasets, modified = [], []
    for listed in programme_codes():
        data = programme_data(listed["code"])
        if data is None:
            continue
        programme = data["programme"]
        page = site + reverse("opendata_programme", args=[programme["code"]])
        modified.append(data["modified"])
        for slug, spec in DATASETS.items():
            identifier = f"{programme['code']}-{slug}"
            distributions = []
            for extension, (media_type, file_type) in FORMATS.items():
                url = site + reverse("opendata_download", args=[programme["code"], slug, extension])
                distributions.append({
                    "@id": url, "@type": "dcat:Distribution",
                    "dct:title": f"{spec.title_en} ({file_type})",
                    "dcat:accessURL": {"@id": page}, "dcat:downloadURL": {"@id": url},
                    "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{media_type}"},
                    "dct:format": {"@id": f"http://publications.europa.eu/resource/authority/file-type/{file_type}"},
                    "dct:license": license_, "dct:modified": _date(data["modified"]),
                })  # fmt: skip
            datasets.append({
                "@id": f"{page}#{slug}", "@type": "dcat:Dataset", "dct:identifier": identifier,
                "dct:title": _text(f"{spec.title_th} — {programme['name_th']}", f"{spec.title_en} — {programme['name_en']}"),
                "dct:description": _text(spec.description_en, spec.description_en),
                "dct:publisher": _publisher(site), "dct:license": license_,
                "dct:issued": _date(programme["start_date"]), "dct:modified": _date(data["modified"]),
                "dct:temporal": {"@type": "dct:PeriodOfTime", "dcat:startDate": _date(programme["start_date"]),
                                 "dcat:endDate": _date(programme["end_date"])},
                "dcat:keyword": [programme["code"], "tambon", "budget", slug],
                "dcat:landingPage": {"@id": page},
                "dcat:contactPoint": {"@type": "vcard:Organization", "vcard:fn": settings.OPEN_DATA_PUBLISHER,
                                      "vcard:hasEmail": {"@id": f"mailto:{settings.OPEN_DATA_CONTACT_EMAIL}"}},
                "dcat:distribution": distributions,
            })  # fmt: skip
    return {
        "@context": CONTEXT,
        "@id": site + reverse("opendata_catalogue"),
        "@type": "dcat:Catalog",
        "dct:title": _text("ข้อมูลเปิดของโครงการพัฒนาเชิงพื้นที่", "Open data of the area-based programmes"),
        "dct:description": _text(
            "ตัวเลขรวมรายจังหวัด เครือข่าย และมหาวิทยาลัย ไม่มีข้อมูลส่วนบุคคล",
            "Aggregate figures per province, network and university; no personal data.",
        ),
        "dct:publisher": _publisher(site),
        "dct:license": license_,
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/THA"},
        "dct:modified": _date(max(modified)) if modified else None,
        "foaf:homepage": {"@id": site + reverse("opendata_index")},
        "dcat:dataset": datasets,
    }
