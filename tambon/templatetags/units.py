"""The unit tree in templates: a tambon's units above it, for crumbs and facts on any programme's pages."""

from django import template

from tambon.models import Tambon, Unit

register = template.Library()


@register.simple_tag
def units_above(tambon: Tambon) -> list[Unit]:
    """The units from the root down to the tambon's parent (one query), for a programme of the unit tree."""
    if not tambon.unit_id:
        return []
    ids = tambon.unit.ancestor_ids()[:-1]
    found = {u.pk: u for u in Unit.objects.filter(pk__in=ids).select_related("level")}
    return [found[pk] for pk in ids if pk in found]
