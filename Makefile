# The two commands: `make run` (the demo city) and `make test` (the whole suite).
# Both do all set-up on a fresh machine. DATABASE_URL / REDIS_URL switch to
# PostgreSQL and Redis; unset, SQLite and the in-memory channel layer are used.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
IDP_PORT ?= 9000

# Django 6 needs Python >= 3.12; the machine's python3 may be 3.11 and would
# silently resolve an older Django, so look for a new enough interpreter.
PYTHON ?= $(shell for candidate in python3.13 python3.12 \
	$$HOME/.pyenv/versions/3.13*/bin/python3.13 $$HOME/.pyenv/versions/3.12*/bin/python3.12 \
	/usr/local/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12; do \
	"$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo "$$candidate"; break; }; done)

# Every entry point defaults to the production settings; the demo and the
# development commands ask for theirs by name.
DEV_MANAGE := DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py
TEST_MANAGE := DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py
# Local rules only: no registry, no metrics, no version check (works offline).
SEMGREP := $(VENV)/bin/semgrep scan --metrics=off --disable-version-check

.PHONY: run test setup venv idp frontend migrate seed lint messages browser fonts bench-whiteboard clean

# scripts/run-demo.sh loads the demo city for the ports it is given.
run: setup fonts
	@bash scripts/run-demo.sh "$(HOST)" "$(PORT)" "$(IDP_PORT)"

test: setup browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	# Every finding is fixed or marked `# nosec <test>` with its reason (docs/security.md).
	$(VENV)/bin/bandit -r school gamification lessons whiteboard lib config -q -x '*/migrations/*'
	# Our own rules (.semgrep/rules.yml), tested on .semgrep/rules.py, then the code.
	$(SEMGREP) --test --config .semgrep/rules.yml .semgrep/rules.py
	$(SEMGREP) --config .semgrep/rules.yml --error --quiet school gamification lessons whiteboard lib config
	$(TEST_MANAGE) check
	$(TEST_MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

setup: venv idp frontend migrate

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@if [ -z "$(PYTHON)" ]; then \
		echo "Python 3.12 or newer is needed (Django 6 refuses older); install python3.13 or python3.12." >&2; \
		exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

idp: idp/node_modules/.package-lock.json

idp/node_modules/.package-lock.json: idp/package-lock.json
	npm ci --prefix idp --no-audit --no-fund --loglevel=error

# Browser code pinned in frontend/package-lock.json, installed without running any
# package's scripts (esbuild's binary comes as its platform package).
# The H5P player (h5p-standalone): its dist/ copied where lessons.h5p.files serves it.
# The live lesson's board: src/ bundled with Excalidraw's assets, served as static
# files under board/ (STATICFILES_DIRS). Chart.js and driver.js, as their own builds ship them,
# under vendor/.
PLAYER := frontend/build/h5p-standalone
BOARD := frontend/build/board
VENDOR := frontend/build/vendor
FRONTEND_MODULES := frontend/node_modules/.package-lock.json
frontend: $(PLAYER)/.built $(BOARD)/board.js $(VENDOR)/chart.umd.min.js $(VENDOR)/driver.js

$(FRONTEND_MODULES): frontend/package-lock.json
	npm ci --prefix frontend --ignore-scripts --no-audit --no-fund --loglevel=error

$(PLAYER)/.built: $(FRONTEND_MODULES)
	rm -rf $(PLAYER)
	mkdir -p $(PLAYER)
	cp -R frontend/node_modules/h5p-standalone/dist/. $(PLAYER)/
	touch $@

$(BOARD)/board.js: $(FRONTEND_MODULES) frontend/build-board.mjs $(wildcard frontend/src/*)
	cd frontend && node build-board.mjs

$(VENDOR)/chart.umd.min.js: $(FRONTEND_MODULES)
	mkdir -p $(VENDOR)
	cp frontend/node_modules/chart.js/dist/chart.umd.min.js $@

# driver.js (the first-day tour), its browser build and stylesheet.
$(VENDOR)/driver.js: $(FRONTEND_MODULES)
	mkdir -p $(VENDOR)
	cp frontend/node_modules/driver.js/dist/driver.css $(VENDOR)/driver.css
	cp frontend/node_modules/driver.js/dist/driver.js.iife.js $@

migrate: venv
	$(DEV_MANAGE) migrate --no-input -v 0

seed: migrate
	$(DEV_MANAGE) seed_demo --quiet

# Debian's Chromium for the browser tests (Playwright cannot download one here), and
# DejaVu, the font of text on exported boards (it covers Cyrillic).
browser:
	@{ command -v chromium && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; } >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core; \
		else echo "Install Debian's chromium and fonts-dejavu-core (apt-get install chromium fonts-dejavu-core) for the browser tests and board export." >&2; exit 1; fi; }

# The demo needs only the font (exported boards); without root it says so and goes on.
fonts:
	@[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq fonts-dejavu-core; \
		else echo "Exported boards need fonts-dejavu-core for Cyrillic text (apt-get install fonts-dejavu-core)." >&2; fi; }

# The whiteboard sync benchmark (docs/performance.md); BENCH_ARGS=--quick for a smoke run.
BENCH_WHITEBOARD_MODULES := bench/whiteboard/node_modules/.package-lock.json
$(BENCH_WHITEBOARD_MODULES): bench/whiteboard/package-lock.json
	npm ci --prefix bench/whiteboard --ignore-scripts --no-audit --no-fund --loglevel=error

bench-whiteboard: venv $(BENCH_WHITEBOARD_MODULES)
	$(PY) bench/whiteboard/run.py $(BENCH_ARGS)

lint:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Regenerate the Russian catalogue after changing user-facing text (needs gettext).
messages: venv
	$(DEV_MANAGE) makemessages -l ru --ignore=.venv --ignore=idp --ignore=var
	$(DEV_MANAGE) compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) idp/node_modules frontend/node_modules frontend/build var
