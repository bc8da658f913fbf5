# Sourced by .ci/processes and .ci/scale-out: the production environment built exactly as the Dockerfile builds the
# image (its own `RUN pip install` line, runtime requirements only, cached under .ci/cache/ by their hash), a Redis
# server of the run's own (so it can be stopped), a fresh PostgreSQL database, and the settings production runs
# with (PROD_PYTHON_BIN=.venv/bin uses that environment instead, for local runs). Expects: PYTHON, db_name, redis_port, work, failed(); sets: bin, redis_start, redis_stop, redis_pid and
# the environment (DATABASE_URL, REDIS_URL, SECRET_KEY, …).

if [ -n "${PROD_PYTHON_BIN:-}" ]; then  # a local run from an environment at hand (never in CI)
  bin="$root/$PROD_PYTHON_BIN"
  echo "- environment: $bin (PROD_PYTHON_BIN; CI builds the production one)"
else
  echo "- production environment: the Dockerfile's install step, requirements.txt alone"
  install=$(sed -n 's/^RUN \(pip install .*\)$/\1/p' Dockerfile)
  [ -n "$install" ] || failed "the Dockerfile has no 'RUN pip install …' line to build the environment with"
  key=$( { cat requirements.txt; echo "$install"; "$PYTHON" -VV; } | sha256sum | cut -c1-16)
  venv=".ci/cache/prod-$key"
  if [ ! -f "$venv/.complete" ]; then
    rm -rf "$venv"
    "$PYTHON" -m venv "$venv"
    (export PATH="$root/$venv/bin:$PATH" PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1; sh -c "$install -q")
    touch "$venv/.complete"
  fi
  find .ci/cache -maxdepth 1 -name 'prod-*' ! -name "prod-$key" -exec rm -rf {} +
  bin="$root/$venv/bin"
  export PYTHONNOUSERSITE=1
  unset PYTHONPATH VIRTUAL_ENV
  if "$bin/python" -c "import pytest" 2>/dev/null; then failed "$venv has pytest: it is not the runtime environment"; fi
  echo "  $venv: $("$bin/pip" list --format=freeze 2>/dev/null | wc -l) packages from requirements.txt"
fi

echo "- services: PostgreSQL database $db_name, Redis on port $redis_port (this run's own, so it can be stopped)"
redis_start() {
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >>"$work/redis.log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  failed "redis-server did not start on port $redis_port"
}
redis_stop() { kill "$redis_pid"; wait "$redis_pid" 2>/dev/null || true; redis_pid=""; }
redis_start
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db_name"
export REDIS_URL="redis://127.0.0.1:$redis_port/0"
export SECRET_KEY="ci-$(date +%s)-not-secret-but-long-enough-for-the-deploy-checks-0123456789"
export ALLOWED_HOSTS="127.0.0.1,localhost" SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0
export MEDIA_ROOT="$work/media" PBM_HEARTBEAT_SECONDS=3 PBM_CATCH_UP_SECONDS=3
PGOPTIONS=--client-min-messages=warning psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db_name" \
  -c "CREATE DATABASE $db_name" >/dev/null

echo "- migrate, collectstatic, seed_demo (from the production environment)"
"$bin/python" manage.py migrate --noinput -v0
"$bin/python" manage.py collectstatic --noinput -v0
"$bin/python" manage.py seed_demo --scale small --staging >"$work/seed.log"
