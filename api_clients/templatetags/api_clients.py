"""`user|makes_api_clients`: whether a page shows its link to the API clients page (`services.makes_clients`)."""

from django import template

from .. import services

register = template.Library()


@register.filter
def makes_api_clients(user) -> bool:
    return user.is_authenticated and services.makes_clients(user)
