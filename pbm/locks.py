"""Which months of a tambon are frozen, asked by every write that changes a month's figures.

The rule has one home, `reporting.locks` (a submitted or accepted month freezes its own figures); it registers
itself here when the app loads, so lower layers (the roster) ask without importing reporting."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError

Month = tuple[int, int]
FrozenCheck = Callable[[int, list[Month]], dict[Month, str]]

_check: list[FrozenCheck] = []


def register(check: FrozenCheck) -> None:
    _check[:] = [check]


def frozen(tambon_id: int, months: Iterable[Month]) -> dict[Month, str]:
    """{month: why it is frozen} for the months of the tambon that are frozen."""
    wanted = sorted(set(months))
    return _check[0](tambon_id, wanted) if _check and wanted else {}


def require_open(*, tambon_id: int, months: Iterable[Month], what: str) -> None:
    """Refuse `what` (a sentence naming the change) when it would change a figure of a frozen month."""
    if reasons := frozen(tambon_id, months):
        raise ValidationError([f"{what}: {reason}" for _month, reason in sorted(reasons.items())])
