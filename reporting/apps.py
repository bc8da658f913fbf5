from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Budget plans and monthly reports")

    def ready(self) -> None:
        from pbm import locks

        from .locks import frozen_months

        locks.register(frozen_months)  # the roster and every other door ask pbm.locks
