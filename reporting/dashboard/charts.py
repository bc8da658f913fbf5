"""Server-rendered charts: bar lengths (0–100) computed here, drawn with CSS in the template. No JS library."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pbm.formats import month_label, number

from ..models import CategoryKind
from .selectors import Dashboard


@dataclass
class Bar:
    label: str
    value: Decimal | int | None
    width: float  # % of the chart's width
    target: float | None = None  # where the target mark sits (% of width)
    extra: str = ""


def _width(value, largest) -> float:
    return round(float(value or 0) * 100 / float(largest), 1) if largest else 0.0


def completeness_bars(board: Dashboard) -> list[tuple[str, list[tuple[str, float, int]]]]:
    """Per child: (name, [(segment, width %, count)]) for on time / late / not filed."""
    rows, _total = board.completeness
    out = []
    for r in rows:
        parts = [("ontime", r.on_time), ("late", r.late), ("missing", r.not_filed)]
        out.append((r.child.name, [(name, _width(n, r.expected), n) for name, n in parts]))
    return out


def spending_series(board: Dashboard) -> list[tuple[str, list[tuple[str, float, float, Decimal, Decimal]]]]:
    """Per kind: [(month label, plan height %, actual height %, plan, actual)], cumulative."""
    out = []
    for kind, label in CategoryKind.choices:
        largest = max([max(p.plan[kind], p.actual[kind]) for p in board.spending.series] or [0])
        points = [(month_label(*p.month), _width(p.plan[kind], largest), _width(p.actual[kind], largest),
                   p.plan[kind], p.actual[kind]) for p in board.spending.series]  # fmt: skip
        out.append((str(label), points))
    return out


def disbursement_bars(board: Dashboard) -> list[Bar]:
    return [
        Bar(
            f"Q{q.quarter}/{q.fiscal_year + 543}",
            q.disbursed,
            min(float(q.disbursed or 0), 100.0),
            float(q.target),
            "ok" if q.meets else ("bad" if q.reached else "info"),
        )
        for q in board.spending.quarters
    ]


def hiring_bars(board: Dashboard) -> list[Bar]:
    total = board.hiring.total
    return [
        Bar(
            t.name,
            total.hired.get(t.pk, 0),
            _width(total.hired.get(t.pk, 0), total.quota.get(t.pk, 0)),
            extra=number(total.quota.get(t.pk, 0)),
        )
        for t in board.hiring.types
    ]


def class_bars(board: Dashboard) -> list[Bar]:
    widget = board.classification
    total = widget.total
    return [
        Bar(
            b.name,
            total.bands.get(b.pk, 0),
            float(total.share(b.pk) or 0),
            float(b.target_share),
            extra=str(total.share(b.pk) or "—"),
        )
        for b in widget.bands
    ]
