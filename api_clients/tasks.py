from celery import shared_task

from .services import idempotent_writes_sweep


@shared_task
def sweep_idempotent_writes() -> int:
    return idempotent_writes_sweep()
