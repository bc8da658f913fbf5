from django import template

from tambon import access

register = template.Library()


@register.filter
def reviews_anything(user) -> bool:
    """Whether the user reviews monthly reports (an RSI or the NSI): decides the "Reviews" link."""
    scope = access.scope_of(user)
    return scope.national or bool(scope.network_ids)
