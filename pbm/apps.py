from django.apps import AppConfig


class PbmConfig(AppConfig):
    name = "pbm"
    verbose_name = "PBM tracker"
