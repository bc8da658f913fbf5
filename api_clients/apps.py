from django.apps import AppConfig


class ApiClientsConfig(AppConfig):
    name = "api_clients"
    verbose_name = "API clients"
