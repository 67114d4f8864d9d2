# Two commands on a fresh machine: `make run` and `make test` (only Python 3.11 and make needed).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint check bench bench-ci worker messages clean

$(VENV)/.installed: requirements.txt
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed (python3.11 not found)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  Journey Planner: http://$(HOST):$(PORT)/"
	@echo "  Demo logins: owner, admin, editor, viewer (password: journey-demo)"
	@echo ""
	@if [ -n "$$REDIS_URL" ]; then \
		$(VENV)/bin/celery -A config worker --beat --schedule=$(VENV)/celerybeat-schedule --loglevel=INFO \
			--concurrency=2 & \
		trap 'kill $$!' EXIT INT TERM; \
		$(PY) manage.py runserver $(HOST):$(PORT); \
	else \
		$(PY) manage.py runserver $(HOST):$(PORT); \
	fi

# The npm tools of the tests (package.json): axe-core for the accessibility test; Redocly CLI, openapi-typescript and
# TypeScript for the API client tests (tests/api_clients/). Without npm those tests are skipped (failed under CI=true).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm not found: the accessibility and API client tests will be skipped"; fi

# The suite runs in parallel (pytest-xdist), one process per CPU: each has its own test database and Redis cache
# database (config/settings/test.py). PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
test: $(VENV)/.installed node_modules/.installed
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

# The benchmark suite: SQLite in bench/results/ by default, PostgreSQL when DATABASE_URL is set; writes
# bench/results/latest.md and latest.json. BENCH_ARGS passes options (see `$(PY) -m bench.run --help`).
bench: $(VENV)/.installed
	$(PY) -m bench.run $(BENCH_ARGS)

# The same suite on a tiny data set with 1–2 runs a figure, to check in seconds that it still works.
bench-ci: $(VENV)/.installed
	$(PY) -m bench.run --ci $(BENCH_ARGS)

worker: $(VENV)/.installed
	$(VENV)/bin/celery -A config worker --loglevel=INFO

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l fr --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache
