"""roster_import: read the hiring sheet, check every row against the database in a few set-based queries,
preview, and write everything or nothing in one transaction.

Reading streams the sheet XML (`tambon.roster.xlsx`), not openpyxl's cell objects. New rows are written with
COPY on PostgreSQL and bulk_create elsewhere; changed rows with bulk_update; the database's one-active-contract
index is the final guard against a concurrent import.

The same service serves the upload pages (through a Celery task), `manage.py import_roster`, the demo seed
and the benchmark. National IDs never go to logs; error messages show the row and column, not the ID.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.th import pin

from pbm.exports import unescape
from tambon.models import HiringType, Programme, Tambon, Unit, University

from .. import xlsx
from ..models import OPEN_STATUSES, Contract, ContractStatus, ImportPhase, Person
from ..sheet import (
    COLUMNS,
    HEADER_LOOKUP,
    HINT_MARK,
    INFORMATIONAL,
    STATUS_WORDS,
    Column,
    ReadDate,
    cell_text,
    header_key,
    normalise_national_id,
    parse_date,
)
from .acceptance import figures_changed
from .eligibility import graduated_too_long_ago, graduation_years
from .rules import PERSON_LIMITS, Place, place_of, quota_overflows, text_too_long, wage_mismatch

log = logging.getLogger(__name__)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls are OLE containers
HEADER_SEARCH_ROWS = 20
MAX_BYTES = 25 * 1024 * 1024  # a national 60,000-row sheet is ~4 MB; override with ROSTER_IMPORT_MAX_BYTES
MAX_ROWS = 70_000  # 3,000 tambons × 20 plus reserves; override with ROSTER_IMPORT_MAX_ROWS
LOOKUP_CHUNK = 20_000  # IDs per set-based query (SQLite allows ~32k parameters)
WRITE_BATCH = 2_000
COPY_BATCH = 10_000  # rows per COPY statement: few enough statements to cost nothing, enough for the bar to move
CHECK_REPORT_EVERY = 2_000
CELL_MAX = 200  # the longest text any other cell may hold (codes, types, dates, statuses are far shorter)
FORMULA_MARKS = ("=", "+", "-", "@")  # a name starting with one would be a formula in a spreadsheet
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
CELL_LIMITS = {key: PERSON_LIMITS.get(key, CELL_MAX) for key in COLUMN_BY_KEY if key not in INFORMATIONAL}
PERSON_FIELDS = ("first_name", "last_name", "phone", "graduated_on")
CONTRACT_FIELDS = ("hiring_type_id", "status", "reserve_rank", "start_date", "end_date")


class Progress(Protocol):
    """Told the percentage done and the phase; called a few dozen times per import, never per row."""

    def __call__(self, percent: int, phase: ImportPhase, done: int = 0, total: int = 0) -> None: ...


@dataclass
class SheetRow:
    number: int  # the row number people see in Excel
    values: dict[str, Any]


@dataclass
class Sheet:
    rows: list[SheetRow]
    unknown_columns: list[str] = field(default_factory=list)


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        return _("Row %(row)s, column “%(column)s”: %(message)s") % self.as_dict()


@dataclass
class CheckedRow:
    row: int
    person: dict[str, Any]
    contract: dict[str, Any]
    national_id: str
    tambon_id: int
    outcome: str = "new"  # new / updated / unchanged
    person_id: int | None = None
    contract_id: int | None = None
    person_changed: bool = False


@dataclass
class ImportResult:
    rows_total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    written: bool = False
    people: list[dict] = field(default_factory=list)  # one per sheet row, for the preview (see preview_people)
    checked: list[CheckedRow] = field(default_factory=list, repr=False)  # the rows to write, as checked

    @property
    def changes(self) -> int:
        return self.new + self.updated

    def summary(self) -> str:
        return _("%(rows)s rows: %(new)s new, %(updated)s updated, %(unchanged)s unchanged, %(errors)s errors") % {
            "rows": self.rows_total, "new": self.new, "updated": self.updated,
            "unchanged": self.unchanged, "errors": len(self.errors),
        }  # fmt: skip


# --- reading the file ----------------------------------------------------------------------------------


def roster_read(*, file: IO[bytes] | str | Path, name: str, size: int | None = None) -> Sheet:
    """Open the workbook and return its rows keyed by column; file-level problems raise ValidationError."""
    if not name.lower().endswith(".xlsx"):
        raise ValidationError(
            _(
                "“%(name)s” is not an Excel .xlsx workbook. Save the sheet as .xlsx (Excel 2007 or later) and upload it again."
            )
            % {"name": name}
        )
    if hasattr(file, "seek"):
        file.seek(0, 2)
        size = file.tell() if size is None else size
        file.seek(0)
        head = file.read(8)
        file.seek(0)
    else:
        size = Path(file).stat().st_size
        with Path(file).open("rb") as handle:
            head = handle.read(8)
    limit = getattr(settings, "ROSTER_IMPORT_MAX_BYTES", MAX_BYTES)
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split the sheet by university and upload each part.")
            % {"size": round(size / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)}
        )
    if head == OLE_MAGIC:
        raise ValidationError(
            _(
                "The workbook is password-protected (or an old .xls file). Remove the password, save as .xlsx and upload again."
            )
        )
    try:
        return _read_rows(xlsx.read_rows(file, workbook_limits()))
    except xlsx.TooLarge as exc:
        raise ValidationError(_too_large_message(exc)) from None
    except xlsx.BadWorkbook:
        raise ValidationError(
            _(
                "The workbook cannot be opened: the file is damaged or not really .xlsx. Open it in Excel, save it again as .xlsx and upload it."
            )
        ) from None


def workbook_limits() -> xlsx.Limits:
    """xlsx.Limits, each overridable in settings.ROSTER_WORKBOOK_LIMITS ({"rows": 100_000, …})."""
    return xlsx.Limits(**getattr(settings, "ROSTER_WORKBOOK_LIMITS", {}))


def _too_large_message(exc: xlsx.TooLarge) -> str:
    """What was past which limit, and what to do; the limit is always stated."""
    scale = 1_048_576 if exc.what in ("uncompressed", "row_bytes") else 1  # those two in MB
    numbers = {"limit": f"{exc.limit / scale:,.0f}", "found": f"{(exc.found or 0) / scale:,.0f}"}
    messages = {
        "uncompressed": _(
            "The workbook unpacks to more than %(limit)s MB; that is the limit (a national sheet of 60,000 people "
            "unpacks to about 40 MB). Remove pictures and other sheets, or split the sheet by university."
        ),
        "parts": _(
            "The workbook holds %(found)s files inside; the limit is %(limit)s. Copy the roster sheet into a new "
            "workbook, save it as .xlsx and upload that."
        ),
        "sheets": _(
            "The workbook has more than %(limit)s sheets; that is the limit. The roster is read from the first "
            "sheet: copy it into a new workbook and upload that."
        ),
        "rows": _(
            "The sheet has more than %(limit)s rows; that is the limit (blank rows count too). Delete the empty "
            "rows below the roster, or split it by university and import each part."
        ),
        "columns": _(
            "The sheet uses more than %(limit)s columns; that is the limit. Delete the columns to the right of "
            "the roster (the template has 13) and upload again."
        ),
        "shared_strings": _(
            "The workbook holds more than %(limit)s different texts; that is the limit. Split the sheet by "
            "university and import each part."
        ),
        "row_bytes": _(
            "One row of the sheet is larger than %(limit)s MB; that is the limit. Check for a cell filled with "
            "pasted text and clear it."
        ),
    }
    return messages[exc.what] % numbers


def _read_rows(rows: Iterable[xlsx.Row]) -> Sheet:
    """Find the header row in the first rows, then keep the non-blank rows below it, keyed by column."""
    rows = iter(rows)
    columns: dict[int, Column] | None = None
    unknown: list[str] = []
    for number, values in rows:
        if number > HEADER_SEARCH_ROWS:
            break
        found = {i: HEADER_LOOKUP.get(header_key(v)) for i, v in values.items() if v is not None}
        if sum(1 for c in found.values() if c and c.required) >= 2:
            columns = {i: c for i, c in found.items() if c}
            unknown = [str(values[i]).strip() for i, c in found.items() if c is None and str(values[i]).strip()]
            break
    if columns is None:
        raise ValidationError(
            _(
                "No header row was found in the first %(n)s rows. Use the template: its header row names the columns (%(names)s)."
            )
            % {"n": HEADER_SEARCH_ROWS, "names": ", ".join(c.header for c in COLUMNS if c.required)}
        )
    missing = [c.header for c in COLUMNS if c.required and c not in columns.values()]
    if missing:
        raise ValidationError(
            _(
                "Required columns are missing: %(names)s. Add them to the header row (see the template); no row was read."
            )
            % {"names": ", ".join(missing)}
        )
    limit = getattr(settings, "ROSTER_IMPORT_MAX_ROWS", MAX_ROWS)
    sheet = Sheet(rows=[], unknown_columns=unknown)
    keys = [(i, c.key) for i, c in sorted(columns.items())]
    for number, values in rows:
        if all(isinstance(v, str) and not v.strip() for v in values.values()):
            continue  # blank rows are skipped (empty cells are not in `values`)
        record = {key: values[i] for i, key in keys if i in values}
        first = record.get("national_id")
        if isinstance(first, str) and first.startswith(HINT_MARK):
            continue
        if len(sheet.rows) >= limit:
            raise ValidationError(
                _(
                    "The sheet has more than %(limit)s people. Split it (for example by university) and import each part."
                )
                % {"limit": f"{limit:,}"}
            )
        sheet.rows.append(SheetRow(number, record))
    return sheet


# --- checking the rows ---------------------------------------------------------------------------------


class _TypeNames:
    """Thai or English names, codes, and unambiguous starts of the Thai name (บัณฑิต → บัณฑิตจบใหม่)."""

    def __init__(self, types: list[HiringType], graduation_years: dict[str, int] | None = None) -> None:
        self.types = types
        self.graduation_years = graduation_years or {}  # the types whose people must have graduated lately
        self.exact = {}
        for t in types:
            for name in (t.name_th, t.name_en, t.code):
                if name:
                    self.exact[name.strip().lower()] = t

    def find(self, text: str) -> HiringType | None:
        key = text.strip().lower()
        if key in self.exact:
            return self.exact[key]
        starts = [t for t in self.types if len(key) >= 4 and t.name_th.startswith(key)]
        return starts[0] if len(starts) == 1 else None

    def names(self) -> str:
        return " / ".join(t.name_th for t in self.types)


class _Place:
    """A tambon's place and heading, read only when an error message needs them."""

    def __init__(self, tambon_id: int) -> None:
        self.tambon_id = tambon_id

    @property
    def place(self) -> str:
        return Tambon.objects.with_place().get(pk=self.tambon_id).place

    @property
    def heading(self) -> str:
        return Tambon.objects.with_place().get(pk=self.tambon_id).heading


def _chunks(items: list, size: int = LOOKUP_CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _one_of(field: str, values: list, sql_type: str) -> Iterable[dict[str, Any]]:
    """Filters for rows whose field is one of the values: one array parameter on PostgreSQL (cheap to build and
    plan for 60,000 values), chunks of `__in` elsewhere (SQLite's parameter limit)."""
    if connection.vendor == "postgresql":
        yield {f"{field}__in": RawSQL(f"SELECT unnest(%s::{sql_type}[])", (values,))}  # noqa: S611 (no user text)
    else:
        for chunk in _chunks(values):
            yield {f"{field}__in": chunk}


def _tambons(programme: Programme) -> dict[str, tuple[int, int, _Place]]:
    """The programme's tambons by sub-district code: (id, university id, place read when a message needs it)."""
    rows = Tambon.objects.filter(programme=programme).values_list("subdistrict_id", "id", "university_id")
    return {code: (tid, uid, _Place(tid)) for code, tid, uid in rows}


@dataclass(frozen=True)
class Owner:
    """Whose sheet it is (a university's, a unit's): the tambons it may hold, and the words refusing a row of
    another tambon, given the row's code and the tambon's place."""

    tambon_ids: frozenset[int]
    refusal: Callable[[str, str], str]


def university_owner(university: University, programme: Programme) -> Owner:
    """A university's sheet (U2T): the tambons it works."""
    ids = Tambon.objects.filter(programme=programme, university=university).values_list("pk", flat=True)
    return Owner(frozenset(ids), lambda code, place: _(
        "tambon %(code)s (%(place)s) is worked by another university; import it there."
    ) % {"code": code, "place": place})  # fmt: skip


def unit_owner(unit: Unit, user) -> Owner:
    """A unit's sheet (a programme's tree: Tambon Smart Team's district): the tambons under it whose roster the
    uploader manages (access.unit_roster_tambons)."""
    from tambon import access

    ids = access.unit_roster_tambons(user, unit).values_list("pk", flat=True)
    name = unit.titled
    return Owner(frozenset(ids), lambda code, place: _(
        "tambon %(code)s (%(place)s) is not under %(unit)s, or its team is not yours to manage; import it where "
        "it is managed."
    ) % {"code": code, "place": place, "unit": name})  # fmt: skip


def roster_check(
    *, sheet: Sheet, programme: Programme, owner: Owner | None = None, progress: Progress | None = None
) -> tuple[ImportResult, list[CheckedRow]]:
    """Validate every row and classify it new / updated / unchanged, reading the database set-wise; with an
    owner, a row of a tambon not the owner's is an error."""
    result = ImportResult(rows_total=len(sheet.rows), unknown_columns=sheet.unknown_columns)
    types = _TypeNames(list(HiringType.objects.filter(programme=programme)), graduation_years(programme))
    tambons = _tambons(programme)
    checked: list[CheckedRow] = []
    seen: dict[str, int] = {}
    error = result.errors.append
    for index, sheet_row in enumerate(sheet.rows):
        if progress and index % CHECK_REPORT_EVERY == 0:
            progress(10 + 60 * index // len(sheet.rows), ImportPhase.CHECKING, index, len(sheet.rows))
        row = _check_row(sheet_row, types=types, tambons=tambons, owner=owner, error=error)
        if row is None:
            continue
        if row.national_id in seen:
            error(RowError(row.row, COLUMN_BY_KEY["national_id"].header,
                           _("this person is also on row %(other)s; keep one row per person.") % {"other": seen[row.national_id]}))  # fmt: skip
            continue
        seen[row.national_id] = row.row
        checked.append(row)
    if progress:
        progress(70, ImportPhase.COMPARING)
    _compare_with_database(checked, result, tambons)
    _check_quota(checked, result)
    for row in checked:
        setattr(result, row.outcome, getattr(result, row.outcome) + 1)
    result.errors.sort(key=lambda e: e.row)
    result.people = preview_people(sheet, checked, result.errors)
    result.checked = checked
    return result, checked


# --- what the preview checked, kept for the confirmation --------------------------------------------------------


def roster_state() -> str:
    """The roster as a check compared with it: people and contracts counted, the newest of each, the last change.
    A confirmation whose state differs compares its rows with the database again before writing."""
    people = Person.objects.aggregate(n=models.Count("id"), last=models.Max("id"))
    contracts = Contract.objects.aggregate(n=models.Count("id"), last=models.Max("id"), at=models.Max("updated_at"))
    at = contracts["at"].isoformat() if contracts["at"] else ""
    return f"{people['n']}:{people['last']}:{contracts['n']}:{contracts['last']}:{at}"


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def checked_dump(rows: list[CheckedRow]) -> list[list]:
    """The checked rows as JSON: one short list each (60,000 rows ≈ 8 MB)."""
    return [[r.row, r.national_id, r.tambon_id, r.person["first_name"], r.person["last_name"], r.person["phone"],
             _day(r.person["graduated_on"]), r.contract["hiring_type_id"], str(r.contract["status"]),
             r.contract["reserve_rank"], _day(r.contract["start_date"]), _day(r.contract["end_date"]),
             r.outcome, r.person_id, r.contract_id, r.person_changed]
            for r in rows]  # fmt: skip


def checked_load(data: list[list], *, compared: bool = True) -> list[CheckedRow]:
    """The rows checked_dump kept; with compared=False, as before the comparison with the database."""
    day = lambda text: dt.date.fromisoformat(text) if text else None  # noqa: E731
    rows = []
    for (row, nid, tambon_id, first, last, phone, graduated, type_id, status, rank, start, end,
         outcome, person_id, contract_id, person_changed) in data:  # fmt: skip
        checked = CheckedRow(row=row, national_id=nid, tambon_id=tambon_id,
                             person={"first_name": first, "last_name": last, "phone": phone,
                                     "graduated_on": day(graduated)},
                             contract={"hiring_type_id": type_id, "status": status, "reserve_rank": rank,
                                       "start_date": day(start), "end_date": day(end)})  # fmt: skip
        if compared:
            checked.outcome, checked.person_id, checked.contract_id = outcome, person_id, contract_id
            checked.person_changed = person_changed
        rows.append(checked)
    return rows


def preview_people(sheet: Sheet, checked: list[CheckedRow], errors: list[RowError]) -> list[dict]:
    """Each row of the sheet as the preview lists it: who, where, and what the import would do with them
    ("new", "updated", "unchanged") or "error" (its errors are listed beside it on the page)."""
    outcome = {row.row: row.outcome for row in checked}
    failed = {error.row for error in errors}
    people = []
    for sheet_row in sheet.rows:
        values = sheet_row.values
        name = " ".join(filter(None, (cell_text(values.get("first_name")), cell_text(values.get("last_name")))))
        people.append({
            "row": sheet_row.number, "national_id": normalise_national_id(values.get("national_id"))[:20],
            "name": name[:201], "hiring_type": cell_text(values.get("hiring_type"))[:200],
            "tambon": cell_text(values.get("tambon_code"))[:20],
            "outcome": "error" if sheet_row.number in failed else outcome.get(sheet_row.number, "error"),
        })  # fmt: skip
    return people


def _check_row(
    sheet_row: SheetRow, *, types: _TypeNames, tambons: dict, owner: Owner | None, error
) -> CheckedRow | None:
    values, number, ok = sheet_row.values, sheet_row.number, True

    def fail(key: str, message: str) -> None:
        nonlocal ok
        ok = False
        error(RowError(number, COLUMN_BY_KEY[key].header, message))

    for key, value in values.items():
        if key in INFORMATIONAL or not isinstance(value, str):
            continue
        value = unescape(value)
        if value.lstrip().startswith("="):
            fail(key, _("holds a formula; values are required. Copy the column and paste it back as values only."))
        elif message := text_too_long(value.strip(), CELL_LIMITS[key]):
            fail(key, message)
        elif key in ("first_name", "last_name") and value.strip().startswith(FORMULA_MARKS):
            fail(key, _("a name cannot start with “%(mark)s”; remove it (spreadsheets read it as a formula).")
                 % {"mark": value.strip()[0]})  # fmt: skip
    if not ok:
        return None
    national_id = normalise_national_id(values.get("national_id"))
    if not national_id:
        fail("national_id", _("the national ID is empty; fill in the 13 digits."))
    elif not _valid_pin(national_id):
        try:
            pin.validate(national_id)  # says what is wrong
        except InvalidLength:
            fail(
                "national_id",
                _("a national ID has 13 digits; this one has %(n)s. Check the number.") % {"n": len(national_id)},
            )
        except InvalidChecksum:
            fail("national_id", _("the check digit (the last digit) does not match; one of the digits is wrong."))
        except InvalidComponent:
            fail("national_id", _("a national ID does not start with 0 or 9; check the first digit."))
        except StdnumError:
            fail("national_id", _("a national ID has only digits (Thai digits, spaces and dashes are fine)."))
    first_name, last_name = cell_text(values.get("first_name")), cell_text(values.get("last_name"))
    if not first_name:
        fail("first_name", _("the first name is empty."))
    if not last_name:
        fail("last_name", _("the last name is empty."))
    type_text = cell_text(values.get("hiring_type"))
    hiring_type = types.find(type_text)
    if hiring_type is None:
        fail("hiring_type", _("“%(value)s” is not a hiring type; use one of %(names)s.")
             % {"value": type_text, "names": types.names()})  # fmt: skip
    elif (wage := cell_text(values.get("monthly_wage"))) and (message := wage_mismatch(wage, hiring_type)):
        fail("monthly_wage", message)
    code = cell_text(values.get("tambon_code"))
    code = code.zfill(6) if code else ""
    tambon = tambons.get(code)
    if tambon is None:
        fail(
            "tambon_code",
            _("“%(code)s” is not a tambon of this programme; use the 6-digit sub-district code.") % {"code": code},
        )
    elif owner is not None and tambon[0] not in owner.tambon_ids:
        fail("tambon_code", owner.refusal(code, tambon[2].place))
    dates: dict[str, ReadDate | None] = {}
    for key in ("start_date", "end_date", "graduated_on"):
        try:
            dates[key] = _parse_date(values.get(key))
        except ValueError as exc:
            fail(key, _("“%(value)s” is not a date; write it as 15/01/2564 (BE) or 2021-01-15 (CE).") % {"value": exc})
            dates[key] = None
    start, end, graduated = dates["start_date"], dates["end_date"], dates["graduated_on"]
    if start is None and values.get("start_date") in (None, ""):
        fail("start_date", _("the start date is empty."))
    if start and end and end.value < start.value:
        fail("end_date", _("the end date (%(end)s) is before the start date (%(start)s).")
             % {"end": end.explain(), "start": start.explain()})  # fmt: skip
    years = types.graduation_years.get(hiring_type.code) if hiring_type is not None else None
    if years is not None and start:
        if graduated is None:
            fail("graduated_on", _("a new graduate needs a graduation date."))
        elif graduated_too_long_ago(graduated.value, start.value, years):
            fail("graduated_on", _(
                "graduated more than %(years)s years before the contract start (%(grad)s; start %(start)s). "
                "A new graduate must have graduated within %(years)s years: check the year or choose another type."
            ) % {"years": years, "grad": graduated.explain(), "start": start.explain()})  # fmt: skip
    status_text = cell_text(values.get("status")).lower() or "จ้างงาน"
    status = STATUS_WORDS.get(status_text)
    if status is None:
        fail(
            "status", _("“%(value)s” is not a status; use จ้างงาน (hired) or สำรอง (reserve).") % {"value": status_text}
        )
    rank_text = cell_text(values.get("reserve_rank"))
    rank = None
    if rank_text:
        if rank_text.isdigit() and int(rank_text) > 0:
            rank = int(rank_text)
        else:
            fail("reserve_rank", _("the reserve rank must be a whole number (1, 2, 3 …)."))
    if not ok:
        return None
    return CheckedRow(
        row=number, national_id=national_id, tambon_id=tambon[0],
        person={"first_name": first_name, "last_name": last_name, "phone": cell_text(values.get("phone")),
                "graduated_on": graduated.value if graduated else None},
        contract={"hiring_type_id": hiring_type.pk, "status": status, "reserve_rank": rank,
                  "start_date": start.value, "end_date": end.value if end else None},
    )  # fmt: skip


PIN_WEIGHTS = tuple(2 - i for i in range(12))


def _valid_pin(number: str) -> bool:
    """The same rule as stdnum's th.pin.validate, without its per-call cleaning: the common, valid case."""
    if len(number) != 13 or not number.isascii() or not number.isdigit() or number[0] in "09":
        return False
    return number[12] == str((1 - sum(map(operator.mul, PIN_WEIGHTS, map(int, number[:12]))) % 11) % 10)


_parse_date = functools.lru_cache(maxsize=4096, typed=True)(parse_date)  # a sheet repeats a few dates


def _compare_with_database(checked: list[CheckedRow], result: ImportResult, tambons: dict) -> None:
    ids = [row.national_id for row in checked]
    people: dict[str, dict] = {}
    for where in _one_of("national_id", ids, "text"):
        for p in Person.objects.filter(**where).values("id", "national_id", *PERSON_FIELDS):
            people[p["national_id"]] = p
    open_contracts: dict[int, list[dict]] = {}
    person_ids = [p["id"] for p in people.values()]
    for where in _one_of("person_id", person_ids, "bigint"):
        for c in Contract.objects.filter(**where, status__in=OPEN_STATUSES).values(
            "id", "person_id", "tambon_id", *CONTRACT_FIELDS
        ):
            open_contracts.setdefault(c["person_id"], []).append(c)
    place_by_tambon = {tid: place for tid, _uid, place in tambons.values()}
    keep = []
    for row in checked:
        person = people.get(row.national_id)
        contracts = open_contracts.get(person["id"], []) if person else []
        if row.contract["status"] == ContractStatus.ACTIVE:
            elsewhere = next(
                (c for c in contracts if c["status"] == "active" and c["tambon_id"] != row.tambon_id), None
            )
            if elsewhere:
                place = place_by_tambon.get(elsewhere["tambon_id"])
                result.errors.append(RowError(row.row, COLUMN_BY_KEY["national_id"].header, _(
                    "this person is already hired in %(place)s; one person may hold one contract nationwide. "
                    "End that contract first (resignation or termination)."
                ) % {"place": place.heading if place else elsewhere["tambon_id"]}))  # fmt: skip
                continue
        keep.append(row)
        if person is None:
            continue
        row.person_id = person["id"]
        row.person_changed = any(person[f] != row.person[f] for f in PERSON_FIELDS)
        here = next((c for c in contracts if c["tambon_id"] == row.tambon_id), None)
        if here is not None:
            row.contract_id = here["id"]
            contract_changed = any(here[f] != row.contract[f] for f in CONTRACT_FIELDS)
            row.outcome = "updated" if (contract_changed or row.person_changed) else "unchanged"
        else:
            row.outcome = "new"
    checked[:] = keep


def _check_quota(checked: list[CheckedRow], result: ImportResult) -> None:
    """The programme's quota per hiring type per tambon (rules.quota_overflows), for the new and changed rows."""
    changing = [row for row in checked if row.outcome != "unchanged"]
    places: list[Place | None] = [
        place_of({**row.contract, "tambon_id": row.tambon_id}, row.row, proposed=True, replaces=row.contract_id)
        for row in changing
    ]  # fmt: skip
    changed = [row.contract_id for row in changing if row.contract_id]
    refused = set()
    for overflow in quota_overflows([p for p in places if p is not None], changed=changed):
        refused.add(overflow.key)
        result.errors.append(RowError(overflow.key, COLUMN_BY_KEY["hiring_type"].header, overflow.message()))
    if refused:
        checked[:] = [row for row in checked if row.row not in refused]


# --- writing -------------------------------------------------------------------------------------------


class _WriteProgress:
    """The write is 80–99 %: people, then contracts, each told after every batch (COPY_BATCH / WRITE_BATCH rows)."""

    def __init__(self, progress: Progress | None, *, people: int, contracts: int) -> None:
        self.progress = progress
        self.total = {ImportPhase.PEOPLE: people, ImportPhase.CONTRACTS: contracts}
        self.done = {ImportPhase.PEOPLE: 0, ImportPhase.CONTRACTS: 0}

    def __call__(self, phase: ImportPhase, rows: int = 0) -> None:
        if self.progress is None:
            return
        self.done[phase] += rows
        share = sum(self.done.values()) / max(sum(self.total.values()), 1)
        self.progress(80 + int(19 * share), phase, self.done[phase], self.total[phase])


def _write(checked: list[CheckedRow], progress: Progress | None = None) -> None:
    """New rows with COPY on PostgreSQL (bulk_create elsewhere), changed rows with bulk_update, in batches so the
    progress moves; the caller's transaction makes it all or nothing, and the one-active-contract index stays the
    final guard."""
    copy = connection.vendor == "postgresql"
    new_people = [r for r in checked if r.person_id is None]
    changed_people = [Person(pk=r.person_id, **r.person) for r in checked if r.person_id and r.person_changed]
    new_contracts = [r for r in checked if r.outcome == "new"]
    updates = [Contract(pk=r.contract_id, **r.contract) for r in checked if r.outcome == "updated" and r.contract_id]
    report = _WriteProgress(
        progress, people=len(new_people) + len(changed_people), contracts=len(new_contracts) + len(updates)
    )
    report(ImportPhase.PEOPLE)
    people = [{"national_id": r.national_id, **r.person} for r in new_people]
    if copy:
        written = functools.partial(report, ImportPhase.PEOPLE)
        ids = dict(zip((r.national_id for r in new_people), _copy_insert(Person, people, written), strict=True))
    else:
        for batch in _chunks(people, WRITE_BATCH):
            Person.objects.bulk_create([Person(**p) for p in batch], batch_size=WRITE_BATCH)
            report(ImportPhase.PEOPLE, len(batch))
        ids = {}
        for chunk in _chunks([r.national_id for r in new_people]):
            ids.update(Person.objects.filter(national_id__in=chunk).values_list("national_id", "id"))
    for batch in _chunks(changed_people, WRITE_BATCH):
        Person.objects.bulk_update(batch, PERSON_FIELDS, batch_size=WRITE_BATCH)
        report(ImportPhase.PEOPLE, len(batch))
    report(ImportPhase.CONTRACTS)
    # Ended contracts first (status changes away from active), so the unique index never sees two actives.
    now = timezone.now()  # bulk_update leaves auto_now alone; roster_state reads the last change
    for contract in updates:
        contract.updated_at = now
    for batch in _chunks(updates, WRITE_BATCH):
        Contract.objects.bulk_update(batch, [*CONTRACT_FIELDS, "updated_at"], batch_size=WRITE_BATCH)
        report(ImportPhase.CONTRACTS, len(batch))
    creates = [{"person_id": r.person_id or ids[r.national_id], "tambon_id": r.tambon_id, **r.contract}
               for r in new_contracts]  # fmt: skip
    if copy:
        _copy_insert(Contract, creates, functools.partial(report, ImportPhase.CONTRACTS))
    else:
        for batch in _chunks(creates, WRITE_BATCH):
            Contract.objects.bulk_create([Contract(**c) for c in batch], batch_size=WRITE_BATCH)
            report(ImportPhase.CONTRACTS, len(batch))


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """A value in COPY's text format: \\N for NULL, t/f, and backslash, tab and line breaks escaped."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).translate(COPY_ESCAPES)


def _copy_column(values: list[Any]) -> list[str]:
    """A column of values in COPY's text format; text without anything to escape (the usual case) as it is."""
    if all(type(v) is str for v in values):
        joined = "".join(values)
        if not any(mark in joined for mark in "\\\t\n\r"):
            return values
        return [v.translate(COPY_ESCAPES) for v in values]
    return [_copy_text(v) for v in values]


def _copy_insert(
    model: type[models.Model], rows: list[dict[str, Any]], written: Callable[[int], None] | None = None
) -> list[int]:
    """INSERT rows (dicts by attname, all with the same keys) with COPY; return their new ids in order.

    Ids are taken from the table's sequence first, so no query is needed to find them afterwards. Fields
    missing from the rows get the value Django would save for a new object (defaults, auto_now), computed once.
    One COPY per COPY_BATCH rows; written(n) is told after each.
    """
    if not rows:
        return []
    meta, quote = model._meta, connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    given = [f.attname for f in fields if f.attname in rows[0]]
    sample = model(**rows[0])
    fixed = [f for f in fields if f.attname not in rows[0]]
    tail = "".join("\t" + _copy_text(f.get_db_prep_save(f.pre_save(sample, add=True), connection)) for f in fixed)
    columns = ", ".join(quote(c) for c in [meta.pk.column, *(f.column for f in fields if f.attname in rows[0]),
                                           *(f.column for f in fixed)])  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        texts = [[str(pk) for pk in ids], *(_copy_column([row[name] for row in rows]) for name in given)]
        lines = [line + tail + "\n" for line in map("\t".join, zip(*texts, strict=True))]
        for batch in _chunks(lines, COPY_BATCH):
            buffer = io.StringIO()
            buffer.writelines(batch)
            buffer.seek(0)
            with connection.wrap_database_errors:
                cursor.cursor.copy_expert(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN", buffer)
            if written:
                written(len(batch))
    return ids


def roster_import_sheet(
    *, sheet: Sheet, programme: Programme | None = None, owner: Owner | None = None,
    dry_run: bool = False, progress: Progress | None = None,
) -> ImportResult:  # fmt: skip
    """Check the rows; unless dry_run or any row has an error, write them all in one transaction."""
    programme = programme or Programme.current()
    result, checked = roster_check(sheet=sheet, programme=programme, owner=owner, progress=progress)
    if dry_run or result.errors:
        return result
    _write_all(checked, progress)
    result.written = True
    return result


def _write_all(checked: list[CheckedRow], progress: Progress | None) -> None:
    """Everything or nothing, in one transaction; a lost race on the one-active-contract rule writes nothing."""
    try:
        with transaction.atomic():
            _write(checked, progress)
            figures_changed(sorted({row.tambon_id for row in checked}))
            if progress:
                progress(99, ImportPhase.COMMITTING)
    except IntegrityError:
        log.warning("roster import lost a race on the one-active-contract rule; nothing written")
        raise ValidationError(
            _("Another import or edit hired some of these people at the same moment, so nothing was written. "
              "Upload the file again to see which rows conflict.")
        ) from None  # fmt: skip


def roster_write_checked(
    *, rows: list[list], state: str, programme: Programme, progress: Progress | None = None
) -> ImportResult:
    """Write what a preview checked (checked_dump), without reading or checking the file again. The rows are
    compared with the database again only when the roster changed since (roster_state): a person hired elsewhere
    meanwhile, a quota filled meanwhile, are then row errors and nothing is written."""
    unchanged = roster_state() == state
    checked = checked_load(rows, compared=unchanged)
    result = ImportResult(rows_total=len(checked))
    if progress:
        progress(70, ImportPhase.COMPARING)
    if not unchanged:
        _compare_with_database(checked, result, _tambons(programme))
        _check_quota(checked, result)
    for row in checked:
        setattr(result, row.outcome, getattr(result, row.outcome) + 1)
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result
    _write_all(checked, progress)
    result.written = True
    return result


def roster_import(
    *, file: IO[bytes] | str | Path, name: str, owner: Owner | None = None,
    programme: Programme | None = None, dry_run: bool = False, progress: Progress | None = None,
) -> ImportResult:  # fmt: skip
    """Read an uploaded .xlsx and import it: everything or nothing. File-level problems raise ValidationError."""
    if progress:
        progress(0, ImportPhase.READING)
    sheet = roster_read(file=file, name=name)
    return roster_import_sheet(sheet=sheet, programme=programme, owner=owner, dry_run=dry_run, progress=progress)
