"""Celery finds each installed app's `tasks` module; the roster's tasks live in tambon/roster/tasks.py (the roster is
part of the tambon app), so this module is where the worker finds them."""

from .roster.tasks import roster_import_apply_task, roster_import_check_task  # noqa: F401
