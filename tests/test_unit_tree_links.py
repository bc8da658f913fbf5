"""Every link a person of a unit-tree programme is shown opens for them. Each demo role of Tambon Smart Team and
CDD's BPM (seeded as `seed_demo --programme` seeds them) starts at home and follows its pages' links; a link that
answers 404 or 500 is a page that should not have been offered, or a page that breaks on the programme's shape
(no university, no network, a tree of another depth)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from tambon.models import User

pytestmark = pytest.mark.django_db

ROLES = ("tambon-smart-team-admin", "tambon-smart-team-review", "tambon-smart-team-p11", "tambon-smart-team-d1101",
         "cdd-bpm-admin", "cdd-bpm-review", "cdd-bpm-p11")  # fmt: skip
SKIP = ("/static/", "/media/", "/logout/", "/i18n/", "/api/", "/admin/", "/open-data/")
MAX_PAGES = 120


def _follow(client, who: str) -> tuple[int, list[str]]:
    seen: set[str] = set()
    queue, broken = ["/"], []
    kinds: dict[str, int] = {}
    while queue and len(seen) < MAX_PAGES:
        url, source = queue.pop(0) if isinstance(queue[0], tuple) else (queue.pop(0), "start")
        if url in seen or url.startswith(SKIP) or url.endswith((".xlsx", ".pdf", ".csv")):
            continue
        shape = re.sub(r"\d+", "N", url)  # one page of each shape, up to a few of each
        if kinds.get(shape, 0) >= 3:
            continue
        kinds[shape] = kinds.get(shape, 0) + 1
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            queue.insert(0, (response.url, url))
            continue
        if response.status_code >= 400:
            broken.append(f"{who}: {url} answered {response.status_code} (linked from {source})")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in re.findall(r'href="(/[^"#?]*)', response.content.decode()):
            if link not in seen:
                queue.append((link, url))
    return len(seen), broken


def test_every_link_shown_to_a_unit_tree_person_opens(client):
    for code in ("tambon-smart-team-2565", "cdd-bpm-2565"):
        call_command("seed_demo", "--programme", code, stdout=StringIO())
    broken: list[str] = []
    for who in ROLES:
        client.force_login(User.objects.get(username=who))
        pages, problems = _follow(client, who)
        assert pages >= 8, f"{who} reached only {pages} pages"
        broken += problems
    assert not broken, "\n".join(broken)
