from django import template

from tambon.roster.sheet import mask_national_id

register = template.Library()


@register.filter
def national_id(value: str, full: bool) -> str:
    """The whole ID for those who pay wages by it (access.handles_payments), the last 4 digits for everyone else:
    the same mask as the exports and the API."""
    return value if full else mask_national_id(value)


@register.simple_tag
def month_name(year: int, month: int) -> str:
    """'ม.ค. 2564': a month as every page names it."""
    from pbm.formats import month_label

    return month_label(year, month)


@register.filter
def wage_total(reconciliation, field: str):
    """A reconciliation's total of due, transferred or paid."""
    return reconciliation.total(field)


@register.filter
def is_national(user) -> bool:
    """The national staff (the nav's link to the national wage reconciliation)."""
    from tambon import access

    return access.is_national(user)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)
