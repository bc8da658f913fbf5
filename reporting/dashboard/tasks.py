from celery import shared_task

from . import services


@shared_task
def dashboard_refresh_tambons(tambon_ids: list[int]) -> int:
    return services.dashboard_refresh(tambon_ids=tambon_ids)


@shared_task
def dashboard_refresh_all() -> int:
    return services.dashboard_refresh()
