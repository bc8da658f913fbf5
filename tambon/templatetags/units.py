"""The unit tree in templates: a tambon's units above it, for crumbs and facts on any programme's pages."""

from django import template

from tambon import access
from tambon.models import Tambon, Unit, User

register = template.Library()


@register.simple_tag
def units_above(tambon: Tambon, user: User) -> list[Unit]:
    """The units from the root down to the tambon's parent, each `openable` or not by the user (access.py); read
    once per tambon object and user, as a page shows them both in its crumbs and in its facts."""
    if not tambon.unit_id:
        return []
    cached = getattr(tambon, "_pbm_units_above", None)
    if cached is None or cached[0] != user.pk:
        cached = tambon._pbm_units_above = (user.pk, access.units_on_path(user, tambon.unit, including=False))
    return cached[1]
