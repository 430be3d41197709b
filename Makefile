# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test lint format ci check node bench clean messages

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %d.%d)" % sys.version_info[:2])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

# Node packages for the accessibility checks (axe-core, vnu-jar); skipped without npm.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: accessibility checks (axe-core, Nu Html Checker) will be skipped. Install Node.js 18+ to run them."; fi

node: node_modules/.installed

run: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py runserver $(HOST)

test: $(VENV)/.dev
	@-$(MAKE) --no-print-directory node
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The English catalogue (locale/en): collect new strings, translate them in the .po, then
# compile; commit both files (a fresh machine needs no gettext tools). Needs GNU gettext.
messages: $(VENV)/.dev
	$(BIN)/python manage.py makemessages -l en --add-location=file -e html,txt,py,svg \
		-i ".venv/*" -i "node_modules/*" -i "staticfiles/*" -i "bench/*" -i "*/tests/*" \
		-i "tests/*" -i "conftest.py" -i "editors/*"
	$(BIN)/python manage.py compilemessages -l en --ignore ".venv/*" --ignore "node_modules/*"

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

ci:
	bash .ci/run

bench: $(VENV)/.dev
	bash bench/run.sh

clean:
	rm -rf $(VENV) node_modules staticfiles
