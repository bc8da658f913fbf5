"""Settings: production variables give a clean `check --deploy`; nothing set gives a development install."""

import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args: str, env: dict[str, str], fresh_database: bool = True) -> subprocess.CompletedProcess:
    """manage.py in a child process, as on a fresh clone: no database file has been migrated yet."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    if not fresh_database:
        return _run(args, {**base, **env})
    with tempfile.TemporaryDirectory() as empty:
        base["DATABASE_URL"] = f"sqlite:///{empty}/never-migrated.sqlite3"
        return _run(args, {**base, **env})


def _run(args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env={"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "pbm.example.org"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_secret_key_refuses_to_start():
    result = run_manage("check", env={"DEBUG": "0"})
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_development_default_needs_nothing():
    result = run_manage(
        "shell", "-c",
        "from django.conf import settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)",
        env={}, fresh_database=False,
    )  # fmt: skip
    assert result.stdout.split()[-3:] == ["True", "django.db.backends.sqlite3", "True"], result.stdout + result.stderr


def test_openapi_schema_is_valid_without_warnings():
    result = run_manage("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null", env={})
    assert result.returncode == 0, result.stdout + result.stderr
