from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TambonConfig(AppConfig):
    name = "tambon"
    verbose_name = _("Hierarchy and geography")
