"""The schema of a programme definition file, and its validator.

`parse(text)` reads YAML and returns the definition as plain Python values (Decimal amounts, dates), or raises
`DefinitionInvalid` with EVERY problem at once, each naming its line and its field path (`hiring_types[2].
monthly_wage`). A hand-written validator over PyYAML's node tree: the nodes carry the line numbers, which the
semantic checks (unknown parent code, overlapping bands …) reuse through the path → line map.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

SCHEMA_VERSION = 1
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
NUMBER_PREFIX = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*$")
INDICATOR_LEVELS = ("tsi", "usi", "rsi")  # assessment.models.IndicatorLevel
CATEGORY_KINDS = ("hiring", "activity", "management")  # reporting.models.CategoryKind
FIXED_DATE_REPORTS = ("mou_6_month", "mou_12_month")  # the two dates DeadlineSettings holds today
INVALID = object()


@dataclass(frozen=True)
class Problem:
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)s, %(path)s: %(message)s") % {"line": self.line, "path": self.path or "/",
                                                             "message": self.message}  # fmt: skip


class DefinitionInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.line, p.path))
        super().__init__("\n".join(str(p) for p in self.problems))


Spec = Callable[["_Reader", yaml.Node, str], Any]


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.lines: dict[str, int] = {}

    def error(self, path: str, message: str, node: yaml.Node | None = None) -> None:
        line = node.start_mark.line + 1 if node is not None else self._line_of(path)
        self.problems.append(Problem(line, path, message))

    def _line_of(self, path: str) -> int:
        while path and path not in self.lines:
            path = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", path)
        return self.lines.get(path, 1)

    def read(self, spec: Spec, node: yaml.Node, path: str) -> Any:
        self.lines[path] = node.start_mark.line + 1
        return spec(self, node, path)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _scalar(r: _Reader, node: yaml.Node, path: str, what: str) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        r.error(path, _("must be %(what)s, not a list or a mapping.") % {"what": what}, node)
        return INVALID
    return _construct(node)


def _construct(node: yaml.ScalarNode) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def text(max_length: int = 200, blank: bool = False) -> Spec:
    def spec(r: _Reader, node: yaml.Node, path: str) -> Any:
        value = _scalar(r, node, path, _("text"))
        if value is INVALID:
            return value
        if not isinstance(value, str):
            r.error(path, _("must be text; put it in quotes."), node)
            return INVALID
        value = value.strip()
        if not value and not blank:
            r.error(path, _("must not be empty."), node)
            return INVALID
        if len(value) > max_length:
            r.error(path, _("is %(n)s characters long; at most %(max)s.") % {"n": len(value), "max": max_length}, node)
            return INVALID
        return value

    return spec


def slug(max_length: int = 30) -> Spec:
    def spec(r: _Reader, node: yaml.Node, path: str) -> Any:
        value = text(max_length)(r, node, path)
        if value is not INVALID and not SLUG.match(value):
            r.error(path, _("“%(value)s” is not a code: use lower-case letters, digits, - and _.") % {"value": value},
                    node)  # fmt: skip
            return INVALID
        return value

    return spec


def number_prefix(max_length: int = 12) -> Spec:
    """The head of a document number (`TST` in TST-1101-000042): capitals, digits and single dashes."""

    def spec(r: _Reader, node: yaml.Node, path: str) -> Any:
        value = text(max_length)(r, node, path)
        if value is not INVALID and not NUMBER_PREFIX.match(value):
            r.error(path, _("“%(value)s” cannot head a certificate number: use capital letters A–Z, digits and "
                            "single dashes, for example TST.") % {"value": value}, node)  # fmt: skip
            return INVALID
        return value

    return spec


def integer(low: int | None = None, high: int | None = None) -> Spec:
    def spec(r: _Reader, node: yaml.Node, path: str) -> Any:
        value = _scalar(r, node, path, _("a whole number"))
        if value is INVALID:
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            r.error(path, _("must be a whole number, not “%(value)s”.") % {"value": node.value}, node)
            return INVALID
        return _in_range(r, node, path, value, low, high)

    return spec


def number(low: Decimal | int | None = None, high: Decimal | int | None = None) -> Spec:
    def spec(r: _Reader, node: yaml.Node, path: str) -> Any:
        value = _scalar(r, node, path, _("a number"))
        if value is INVALID:
            return value
        try:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidOperation
            value = Decimal(node.value.replace("_", ""))
        except InvalidOperation:
            r.error(path, _("must be a number, not “%(value)s”.") % {"value": node.value}, node)
            return INVALID
        return _in_range(r, node, path, value, low, high)

    return spec


def _in_range(r: _Reader, node: yaml.Node, path: str, value: Any, low: Any, high: Any) -> Any:
    if low is not None and value < low:
        r.error(path, _("must be at least %(low)s, not %(value)s.") % {"low": low, "value": value}, node)
        return INVALID
    if high is not None and value > high:
        r.error(path, _("must be at most %(high)s, not %(value)s.") % {"high": high, "value": value}, node)
        return INVALID
    return value


def boolean(r: _Reader, node: yaml.Node, path: str) -> Any:
    value = _scalar(r, node, path, _("true or false"))
    if value is not INVALID and not isinstance(value, bool):
        r.error(path, _("must be true or false, not “%(value)s”.") % {"value": node.value}, node)
        return INVALID
    return value


def date(r: _Reader, node: yaml.Node, path: str) -> Any:
    value = _scalar(r, node, path, _("a date"))
    if value is INVALID:
        return value
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        r.error(path, _("must be a date written YYYY-MM-DD (CE), not “%(value)s”.") % {"value": node.value}, node)
        return INVALID
    return value


def choice(*options: str) -> Spec:
    def spec(r: _Reader, node: yaml.Node, path: str) -> Any:
        value = _scalar(r, node, path, _("one of %(options)s") % {"options": ", ".join(options)})
        if value is not INVALID and value not in options:
            r.error(path, _("“%(value)s” is not one of %(options)s.") % {"value": node.value,
                                                                       "options": ", ".join(options)}, node)  # fmt: skip
            return INVALID
        return value

    return spec


def list_of(item: Spec, min_items: int = 0) -> Spec:
    def spec(r: _Reader, node: yaml.Node, path: str) -> Any:
        if not isinstance(node, yaml.SequenceNode):
            r.error(path, _("must be a list (lines starting with “- ”)."), node)
            return INVALID
        if len(node.value) < min_items:
            r.error(path, _("needs at least %(n)s entries.") % {"n": min_items}, node)
        return [r.read(item, child, f"{path}[{i}]") for i, child in enumerate(node.value, start=1)]

    return spec


def record(required: dict[str, Spec], optional: dict[str, Spec] | None = None) -> Spec:
    optional = optional or {}

    def spec(r: _Reader, node: yaml.Node, path: str) -> Any:
        if not isinstance(node, yaml.MappingNode):
            r.error(path, _("must be a mapping of names to values (key: value)."), node)
            return INVALID
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            child = _join(path, str(key))
            if key in out:
                r.error(child, _("appears twice; keep one."), key_node)
            elif key in required or key in optional:
                out[key] = r.read(required.get(key) or optional[key], value_node, child)
            else:
                known = ", ".join([*required, *optional])
                r.error(child, _("unknown field “%(key)s”; the fields here are: %(known)s.") % {"key": key,
                                                                                             "known": known}, key_node)  # fmt: skip
        for key in required:
            if key not in out:
                r.error(path, _("the field “%(key)s” is missing.") % {"key": key}, node)
                out[key] = INVALID
        for key in optional:
            out.setdefault(key, None)
        return out

    return spec


NAME = record({"th": text(200)}, {"en": text(200)})
LONG_NAME = record({"th": text(400)}, {"en": text(400)})

SCHEMA = record(
    {
        "schema": integer(SCHEMA_VERSION, SCHEMA_VERSION),
        "code": slug(30),
        "name": NAME,
        "months": record({"start": date, "end": date}),
        "fiscal_year": record({"first": integer(2400, 2700), "starts_in_month": integer(1, 12)}),
        "unit_levels": list_of(record({"code": slug(20), "depth": integer(0, 5), "name": NAME}), 1),  # MAX_UNIT_DEPTH
        "reports": list_of(
            record(
                {"code": slug(30), "filed_at": slug(20), "filed_by": slug(20), "reviewed_by": slug(20), "name": NAME}
            )
        ),  # fmt: skip
        "roles": list_of(record({"code": slug(30), "level": slug(20), "may": list_of(slug(30)), "name": NAME})),
        "hiring_types": list_of(
            record(
                {
                    "code": slug(20),
                    "name": NAME,
                    "monthly_wage": number(0, Decimal("99999999")),
                    "quota_per_unit": integer(0, 32767),
                },
                {
                    "eligibility": record(
                        {},
                        {
                            "years_since_graduation": integer(1, 50),
                            "residency": text(200),
                            "enrolment": text(200),
                            "unemployed": boolean,
                            "no_other_state_wage": boolean,
                        },
                    )
                },
            )
        ),  # fmt: skip
        "certificate": record({"consecutive_passed_months": integer(1, 120)}, {"number_prefix": number_prefix()}),
        "budget_per_unit": record(
            {"activity": number(0, Decimal("99999999999999")), "management": number(0, Decimal("99999999999999"))}
        ),  # fmt: skip
        "evidence_max_mb": integer(1, 1024),
        "not_funded_rule": text(5000),
        "reporting": record(
            {
                "monthly": record(
                    {
                        "due_day": integer(1, 28),
                        "remind_days_before": list_of(integer(0, 28), 1),
                        "escalate_days_after": integer(0, 60),
                    }
                ),
                "after_activity": record({"due_days": integer(1, 365), "remind_days_after": integer(0, 365)}),
                "fixed_dates": list_of(record({"report": choice(*FIXED_DATE_REPORTS), "due": date})),
                "periodic_months": list_of(integer(1, 120)),
            }
        ),  # fmt: skip
        "instalments": list_of(
            record(
                {"number": integer(1, 12), "month": integer(1, 120), "share": number(0, 100), "unlocked_by": slug(30)}
            ),
            1,
        ),  # fmt: skip
        "disbursement_targets": list_of(
            record({"fiscal_year": integer(2400, 2700), "cumulative_percent": list_of(number(0, 100))}), 1
        ),  # fmt: skip
        "class_bands": list_of(
            record(
                {
                    "code": slug(20),
                    "rank": integer(0, 100),
                    "min_goals": integer(0, 1000),
                    "max_goals": integer(0, 1000),
                    "target_share": number(0, 100),
                    "name": NAME,
                },
                # what a tambon needs besides its goals to hold the class (issue #15 item 7); lacking it, the
                # tambon falls to the best lower class it qualifies for
                {"requires": record({}, {"model_tambon": boolean, "min_income_change_percent": number(-100, 10000)})},
            )
        ),  # fmt: skip
        "budget_categories": list_of(
            record(
                {"code": text(10), "position": integer(0, 32767), "kind": choice(*CATEGORY_KINDS), "name": NAME},
                {"parent": text(10), "letter": text(5), "hiring_type": slug(20)},
            ),
            1,
        ),  # fmt: skip
        "expense_types": list_of(record({"funded": boolean, "name": NAME})),
        "goals": list_of(record({"number": integer(1, 63), "name": NAME}, {"detail_th": text(2000)})),
        "indicators": list_of(
            record(
                {"level": choice(*INDICATOR_LEVELS), "number": integer(1, 1000), "name": LONG_NAME},
                {"hint_th": text(2000)},
            )
        ),  # fmt: skip
    },
    {"current": boolean},
)


def parse(text_: str) -> dict[str, Any]:
    """The definition in `text_`, validated; raises DefinitionInvalid listing every problem."""
    try:
        root = yaml.compose(text_, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise DefinitionInvalid([Problem(line, "", _("not valid YAML: %(problem)s") % {
            "problem": getattr(exc, "problem", None) or exc})]) from None  # fmt: skip
    if root is None:
        raise DefinitionInvalid([Problem(1, "", _("the file is empty."))])
    r = _Reader()
    data = r.read(SCHEMA, root, "")
    if data is not INVALID:
        _check(r, data)
    if r.problems:
        raise DefinitionInvalid(r.problems)
    return data


def parse_file(path: str | Path) -> dict[str, Any]:
    return parse(Path(path).read_text(encoding="utf-8"))


def _ok(*values: Any) -> bool:
    return all(v is not INVALID and v is not None for v in values)


def _unique(r: _Reader, rows: Any, path: str, key: Callable[[dict], Any], label: str) -> dict[Any, int]:
    """{key: index} of the rows; a repeated key is an error on the repeat."""
    seen: dict[Any, int] = {}
    if not isinstance(rows, list):
        return seen
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            continue
        k = key(row)
        if k is INVALID or (isinstance(k, tuple) and INVALID in k):
            continue
        if k in seen:
            r.error(f"{path}[{i}]", _("%(label)s %(key)s is already defined in entry %(first)s.")
                    % {"label": label, "key": k if not isinstance(k, tuple) else " ".join(map(str, k)),
                       "first": seen[k]})  # fmt: skip
        else:
            seen[k] = i
    return seen


def _rows(data: dict, key: str) -> list[tuple[int, dict]]:
    rows = data.get(key)
    return [(i, row) for i, row in enumerate(rows, start=1) if isinstance(row, dict)] if isinstance(rows, list) else []


def programme_month_count(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _check(r: _Reader, d: dict) -> None:  # noqa: C901 - one list of cross-field rules, read top to bottom
    """Rules across fields; every message names the entry it is about."""
    months = d["months"]
    count = None
    if isinstance(months, dict) and _ok(months["start"], months["end"]):
        if months["end"] <= months["start"]:
            r.error("months.end", _("must be after months.start."))
        else:
            count = programme_month_count(months["start"], months["end"])
    levels = _unique(r, d["unit_levels"], "unit_levels", lambda x: x["code"], _("level"))
    _unique(r, d["unit_levels"], "unit_levels", lambda x: x["depth"], _("depth"))
    depths = sorted(row["depth"] for _i, row in _rows(d, "unit_levels") if _ok(row["depth"]))
    if depths and depths != list(range(len(depths))):
        r.error("unit_levels", _("depths must run 0, 1, 2 … without gaps (the root is 0)."))
    reports = _unique(r, d["reports"], "reports", lambda x: x["code"], _("report"))
    for i, row in _rows(d, "reports"):
        for field in ("filed_at", "filed_by", "reviewed_by"):
            if _ok(row[field]) and levels and row[field] not in levels:
                r.error(f"reports[{i}].{field}", _("“%(code)s” is not a level of unit_levels (%(levels)s).")
                        % {"code": row[field], "levels": ", ".join(levels)})  # fmt: skip
    _unique(r, d["roles"], "roles", lambda x: x["code"], _("role"))
    for i, row in _rows(d, "roles"):
        if _ok(row["level"]) and levels and row["level"] not in levels:
            r.error(f"roles[{i}].level", _("“%(code)s” is not a level of unit_levels (%(levels)s).")
                    % {"code": row["level"], "levels": ", ".join(levels)})  # fmt: skip
    hiring = _unique(r, d["hiring_types"], "hiring_types", lambda x: x["code"], _("hiring type"))
    cert = d["certificate"]
    months_needed = cert["consecutive_passed_months"] if isinstance(cert, dict) else INVALID
    if count and _ok(months_needed) and months_needed > count:
        r.error("certificate.consecutive_passed_months", _("is longer than the programme (%(n)s months).")
                % {"n": count})  # fmt: skip
    reporting = d["reporting"]
    if isinstance(reporting, dict):
        fixed = _unique(r, reporting["fixed_dates"], "reporting.fixed_dates", lambda x: x["report"], _("report"))
        if isinstance(reporting["fixed_dates"], list):
            for name in FIXED_DATE_REPORTS:
                if name not in fixed:
                    r.error("reporting.fixed_dates", _("needs the due date of %(report)s.") % {"report": name})
        for i, value in enumerate(reporting["periodic_months"] or [], start=1):
            if count and _ok(value) and value > count:
                r.error(f"reporting.periodic_months[{i}]", _("month %(m)s is past the programme's %(n)s months.")
                        % {"m": value, "n": count})  # fmt: skip
    numbers = _unique(r, d["instalments"], "instalments", lambda x: x["number"], _("instalment"))
    if numbers and sorted(numbers) != list(range(1, len(numbers) + 1)):
        r.error("instalments", _("instalments must be numbered 1, 2, 3 … without gaps."))
    shares = [row["share"] for _i, row in _rows(d, "instalments") if _ok(row["share"])]
    if shares and len(shares) == len(_rows(d, "instalments")):
        if sum(shares) != 100:
            r.error("instalments", _("the shares add up to %(sum)s%%, not 100%%.") % {"sum": sum(shares)})
        elif len(set(shares)) > 1:
            r.error("instalments", _("the tracker pays equal instalments today; give every instalment the same share."))
    if numbers and 2 not in numbers:
        r.error("instalments", _("the tracker needs a 2nd instalment today (its month gates the payment)."))
    unlocks = {"contract_signed", *FIXED_DATE_REPORTS, *reports}
    for i, row in _rows(d, "instalments"):
        if count and _ok(row["month"]) and row["month"] > count:
            r.error(f"instalments[{i}].month", _("month %(m)s is past the programme's %(n)s months.")
                    % {"m": row["month"], "n": count})  # fmt: skip
        if _ok(row["unlocked_by"]) and row["unlocked_by"] not in unlocks:
            r.error(f"instalments[{i}].unlocked_by", _("“%(code)s” is not one of %(options)s.")
                    % {"code": row["unlocked_by"], "options": ", ".join(sorted(unlocks))})  # fmt: skip
    _unique(r, d["disbursement_targets"], "disbursement_targets", lambda x: x["fiscal_year"], _("fiscal year"))
    first = None
    for i, row in _rows(d, "disbursement_targets"):
        shares = row["cumulative_percent"]
        if not isinstance(shares, list) or not all(_ok(s) for s in shares):
            continue
        path = f"disbursement_targets[{i}].cumulative_percent"
        if len(shares) != 4:
            r.error(path, _("needs one cumulative share per fiscal quarter: 4 numbers."))
        elif shares != sorted(shares):
            r.error(path, _("cumulative shares cannot go down from one quarter to the next."))
        elif first is None:
            first = shares
        elif shares != first:
            r.error(path, _("the tracker holds one set of quarterly targets for every fiscal year today; "
                            "give every fiscal year the same shares."))  # fmt: skip
    goals = _unique(r, d["goals"], "goals", lambda x: x["number"], _("goal"))
    if goals and sorted(goals) != list(range(1, len(goals) + 1)):
        r.error("goals", _("goals must be numbered 1, 2, 3 … without gaps."))
    _unique(r, d["indicators"], "indicators", lambda x: (x["level"], x["number"]), _("indicator"))
    _unique(r, d["class_bands"], "class_bands", lambda x: x["code"], _("class"))
    _unique(r, d["class_bands"], "class_bands", lambda x: x["rank"], _("rank"))
    bands = []
    for i, row in _rows(d, "class_bands"):
        if not _ok(row["min_goals"], row["max_goals"]):
            continue
        if row["max_goals"] < row["min_goals"]:
            r.error(f"class_bands[{i}].max_goals", _("is below min_goals."))
        elif goals and row["max_goals"] > len(goals):
            r.error(f"class_bands[{i}].max_goals", _("is more than the %(n)s goals.") % {"n": len(goals)})
        else:
            for j, low, high in bands:
                if row["min_goals"] <= high and low <= row["max_goals"]:
                    r.error(f"class_bands[{i}]", _("its goals range overlaps class_bands[%(j)s].") % {"j": j})
            bands.append((i, row["min_goals"], row["max_goals"]))
    categories: dict[str, dict] = {}
    _unique(r, d["budget_categories"], "budget_categories", lambda x: x["code"], _("category"))
    for i, row in _rows(d, "budget_categories"):
        path = f"budget_categories[{i}]"
        parent = row["parent"]
        if _ok(parent):
            if parent not in categories:
                r.error(f"{path}.parent", _("“%(code)s” is not a category defined above this one.") % {"code": parent})
            elif categories[parent]["parent"] is not None:
                r.error(f"{path}.parent", _("“%(code)s” is itself under a group; categories have two levels.")
                        % {"code": parent})  # fmt: skip
            elif _ok(row["kind"]) and categories[parent]["kind"] != row["kind"]:
                r.error(f"{path}.kind", _("must be the kind of its group “%(code)s” (%(kind)s).")
                        % {"code": parent, "kind": categories[parent]["kind"]})  # fmt: skip
        if _ok(row["hiring_type"]) and row["hiring_type"] not in hiring:
            r.error(
                f"{path}.hiring_type", _("“%(code)s” is not a code of hiring_types.") % {"code": row["hiring_type"]}
            )
        if _ok(row["code"]):
            categories[row["code"]] = row
    _unique(r, d["expense_types"], "expense_types", lambda x: x["name"]["th"] if isinstance(x["name"], dict) else INVALID,
            _("expense type"))  # fmt: skip
