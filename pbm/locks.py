"""Which months of a tambon are frozen, asked by every write that changes a month's figures.

The rule has one home, `reporting.locks` (a submitted or accepted month freezes its own figures); it registers
itself here when the app loads, so lower layers (the roster) ask without importing reporting."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError

Month = tuple[int, int]
FrozenCheck = Callable[[list[int], list[Month]], dict[tuple[int, Month], str]]

_check: list[FrozenCheck] = []


def register(check: FrozenCheck) -> None:
    _check[:] = [check]


def frozen(tambon_id: int, months: Iterable[Month]) -> dict[Month, str]:
    """{month: why it is frozen} for the months of the tambon that are frozen."""
    return {month: why for (_t, month), why in frozen_many([tambon_id], months).items()}


def frozen_many(tambon_ids: Iterable[int], months: Iterable[Month]) -> dict[tuple[int, Month], str]:
    """{(tambon id, month): why} for every frozen month of these tambons, in one query."""
    ids, wanted = sorted(set(tambon_ids)), sorted(set(months))
    return _check[0](ids, wanted) if _check and ids and wanted else {}


def require_open(*, tambon_id: int | Iterable[int], months: Iterable[Month], what: str) -> None:
    """Refuse `what` (a sentence naming the change) when it would change a figure of a frozen month of the tambon
    (or of any of the tambons)."""
    ids = [tambon_id] if isinstance(tambon_id, int) else list(tambon_id)
    if reasons := frozen_many(ids, months):
        raise ValidationError(
            [ValidationError(text, code="month_locked") for text in sorted({f"{what}: {r}" for r in reasons.values()})]
        )
