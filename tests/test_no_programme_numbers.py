"""Issue #14 item 6, as a ratchet: no U2T figure in Python or templates outside the U2T definition.

The figures of U2T 2564 (800,000 and 43,000 baht per tambon; wages 9,000 / 15,000 / 5,000; 20 people per tambon;
due on day 2; targets 32/54/77 %; 6 months for a certificate; 3 years since graduation) belong in
programmes/u2t-2564.yaml. The scan skips migrations (they load U2T's history), tests, programmes/ and the
definition loader (pbm/programmes/). ALLOWED holds what today's code still has, each with the reason: the test
fails when a NEW literal appears, and when one is removed (lower its count or delete its entry, so the list only
shrinks).
"""

import re
from collections import Counter
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
FIGURES = {
    "800000": r"\b800[_,]?000\b",
    "43000": r"\b43[_,]?000\b",
    "9000": r"\b9[_,]?000\b",
    "15000": r"\b15[_,]?000\b",
    "5000": r"\b5[_,]?000\b",
    "20 per tambon": r"\b20\b[^\n]{0,15}(per tambon|people|คน|ต่อตำบล)|(per tambon|ต่อตำบล)[^\n]{0,10}\b20\b",
    "day 2": r"\bday 2\b|วันที่ 2\b|due[ _]day\b[^\n]{0,60}\b2\b",
    "32/54/77": r"\b32\b[^\n]{0,12}\b54\b[^\n]{0,12}\b77\b",
    "6 months": r"\b6[ -]months?\b|\bsix months\b|\b6 เดือน|MONTHS\s*=\s*6\b",
    "3 years": r"\b3[ -]years?\b|\bthree years\b|\b3 ปี|YEARS\s*=\s*3\b",
}
# Sizes of database batches are not programme figures.
NOT_A_FIGURE = re.compile(r"(batch_size=|chunk_size=|\[:)$")
SKIPPED_DIRS = {".venv", "tests", "programmes", "node_modules", "migrations", ".git"}

# (file, figure): (count, why it is still there) — shrink this list, never grow it.
ALLOWED = {
    ("reporting/models.py", "800000"): (1, "ProgrammeSettings.activity_budget default; programme_load sets it"),
    ("reporting/models.py", "43000"): (1, "ProgrammeSettings.management_budget default; programme_load sets it"),
    ("reporting/models.py", "day 2"): (1, "ProgrammeSettings.due_day default; programme_load sets it"),
    ("pbm/periods.py", "day 2"): (1, "docstring example (U2T: day 2)"),
    ("pbm/line.py", "5000"): (1, "not U2T's: LINE's own limit on a text message (characters)"),
    ("tambon/roster/selectors.py", "6 months"): (1, "the default for a programme whose definition has no certificate"),
    ("tambon/roster/services/rules.py", "9000"): (2, "comment: how a '9,000 บาท' wage cell is read"),
    ("tambon/roster/demo.py", "20 per tambon"): (1, "demo docstring"),
    ("reporting/deadlines/demo.py", "6 months"): (2, "demo: the 6-month MOU report"),
    ("reporting/deadlines/models.py", "6 months"): (2, "MOU report kind 6m and its due-date field"),
    ("templates/reporting/deadlines/mou_list.html", "6 months"): (1, "MOU page text names the 6-month report"),
}


def scan() -> tuple[Counter, dict]:
    counts, where = Counter(), {}
    for path in sorted([*ROOT.rglob("*.py"), *ROOT.rglob("*.html")]):
        rel = path.relative_to(ROOT)
        if SKIPPED_DIRS & set(rel.parts) or rel.parts[:2] == ("pbm", "programmes"):
            continue
        text = path.read_text(encoding="utf-8")
        for figure, pattern in FIGURES.items():
            for match in re.finditer(pattern, text):
                if NOT_A_FIGURE.search(text[max(0, match.start() - 12) : match.start()]):
                    continue
                key = (rel.as_posix(), figure)
                counts[key] += 1
                where.setdefault(key, []).append(text.count("\n", 0, match.start()) + 1)
    return counts, where


def test_no_new_u2t_figure_in_code():
    counts, where = scan()
    new = [f"{path}:{where[(path, fig)]} {fig!r}: {n} found, {ALLOWED.get((path, fig), (0,))[0]} allowed"
           for (path, fig), n in sorted(counts.items()) if n > ALLOWED.get((path, fig), (0,))[0]]  # fmt: skip
    assert not new, "U2T figures in code; read them from the programme (programmes/u2t-2564.yaml):\n" + "\n".join(new)


def test_the_allowlist_only_shrinks():
    counts, _ = scan()
    stale = [f"{path} {fig!r}: allowed {n}, found {counts[(path, fig)]}"
             for (path, fig), (n, _why) in sorted(ALLOWED.items()) if counts[(path, fig)] < n]  # fmt: skip
    assert not stale, "Literals were removed: lower these counts in ALLOWED:\n" + "\n".join(stale)


def test_the_scan_finds_a_figure(tmp_path, monkeypatch):
    """The scan is not blind: a wage written into a new module is found."""
    (tmp_path / "wages.py").write_text("RATE = 15_000\nrows = qs.iterator(chunk_size=5000)\n", encoding="utf-8")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    counts, where = scan()
    assert counts == Counter({("wages.py", "15000"): 1}) and where[("wages.py", "15000")] == [1]
