# Two commands for a fresh machine with Python 3.11: `make run` (SQLite, demo data, 127.0.0.1:8000) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# axe-core for the browser tests' accessibility checks (test-time only, pinned in package-lock.json, git-ignored).
NODE_STAMP := node_modules/.installed

.PHONY: run test test-services install browser lint messages bench clean

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else echo "npm not found: the browser tests will skip their axe-core checks (CI installs npm and fails without it)"; fi

install: $(STAMP) $(NODE_STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --scale small
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest

# The same suite against PostgreSQL and Redis, with the tests that need them (see .ci/run).
test-services: $(STAMP) $(NODE_STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/pbm} REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/15} \
		$(BIN)/python -m pytest --create-db

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l th --no-obsolete --ignore=.venv --ignore=staticfiles && $(BIN)/python manage.py compilemessages -l th --ignore=.venv

bench: $(STAMP)
	for f in bench/*.py; do $(BIN)/python $$f --scale small || exit 1; done

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles node_modules
