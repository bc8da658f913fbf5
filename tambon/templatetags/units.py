"""The unit tree in templates: a tambon's units above it, for crumbs and facts on any programme's pages."""

from django import template

from tambon import access
from tambon.models import Tambon, Unit, User

register = template.Library()


@register.simple_tag
def units_above(tambon: Tambon, user: User) -> list[Unit]:
    """The units from the root down to the tambon's parent, each `openable` or not by the user (access.py)."""
    return access.units_on_path(user, tambon.unit, including=False) if tambon.unit_id else []
