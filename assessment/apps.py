from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from reporting.deadlines.services import reminders_register

        from .reminders import assessment_reminders_send

        reminders_register(assessment_reminders_send)
