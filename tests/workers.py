"""Real Celery processes for the tests marked `redis`: a worker and beat talking to this test run's database."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def worker_env() -> dict[str, str]:
    """The worker subprocess talks to the test database this process created."""
    env = dict(os.environ)
    db = connection.settings_dict
    if db["ENGINE"].endswith("postgresql"):
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    env["CELERY_TASK_ALWAYS_EAGER"] = "0"
    return env


def start_worker(env: dict[str, str], *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "pbm", "worker", "--pool=solo", "--loglevel=WARNING",
         "--without-gossip", "--without-mingle", *extra],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def start_beat(env: dict[str, str]) -> subprocess.Popen:
    """Celery beat with a fresh schedule file, so it runs every job from the start."""
    schedule = os.path.join(tempfile.mkdtemp(), "beat")
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "pbm", "beat", "--loglevel=WARNING", "--schedule", schedule],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False
