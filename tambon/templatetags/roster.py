from django import template

from tambon.roster.sheet import mask_national_id

register = template.Library()


@register.filter
def national_id(value: str, full: bool) -> str:
    """The whole ID for those who pay wages by it (access.handles_payments), the last 4 digits for everyone else:
    the same mask as the exports and the API."""
    return value if full else mask_national_id(value)
