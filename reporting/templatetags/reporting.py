from django import template

from tambon import access, units

register = template.Library()


@register.filter
def sees_dashboard(user) -> bool:
    """Every level has its dashboard: the NSI the nation's, an RSI its network's, university staff their university's."""
    return not access.scope_of(user).is_empty


@register.filter
def reviews_anything(user) -> bool:
    """Whether the user reviews reports: decides the "Reviews" link (the rule is access.reviews_anything)."""
    return access.reviews_anything(user)


@register.filter
def u2t_shaped(programme) -> bool:
    """Whether the programme stands on U2T's universities and networks (tambon.units.u2t_shaped): the navigation
    offers their pages (the universities' and networks' unit monthly reports) only then."""
    return units.u2t_shaped(programme)
