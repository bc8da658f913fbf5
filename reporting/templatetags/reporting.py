from django import template

from tambon import access

register = template.Library()


@register.filter
def sees_dashboard(user) -> bool:
    """Every level has its dashboard: the NSI the nation's, an RSI its network's, university staff their university's."""
    return not access.scope_of(user).is_empty


@register.filter
def reviews_anything(user) -> bool:
    """Whether the user reviews reports: decides the "Reviews" link (the rule is access.reviews_anything)."""
    return access.reviews_anything(user)
