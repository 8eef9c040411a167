# Two commands: `make demo` and `make test`. Everything they need is installed from here.
# The first interpreter that really runs and is 3.11 or 3.12 (pyenv shims may exist for versions not installed).
PYTHON ?= $(shell for p in python3.12 python3.11 python3; do $$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements-build.txt | cksum | cut -d' ' -f1)
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# pytest-xdist workers for `make test` (each test has its own database, files and ports); TEST_JOBS=0 runs in one process.
TEST_JOBS ?= auto
PYTEST := $(PY) -m pytest -n $(TEST_JOBS) --dist loadscope

CHROMIUM := /usr/bin/chromium

.PHONY: demo test lint bench venv clean browser

$(STAMP): pyproject.toml requirements-build.txt
	@test -n "$(PYTHON)" || { echo "adaptive needs Python 3.11 or 3.12 (python3.11/python3.12 on PATH)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# numpy<2 and the build tools must be in place before pyBKT's C++ extension is compiled against them.
	$(PIP) install --quiet -r requirements-build.txt
	$(PIP) install --quiet --no-build-isolation --no-binary pybkt pybkt==1.4.3
	$(PIP) install --quiet --no-build-isolation -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/adaptive demo

# Debian's Chromium for the browser tests (tests/web): installed with apt-get when missing and we may (root, or
# sudo without a password); otherwise, or if apt-get fails, a note and the browser tests skip saying why.
browser:
	@test -x $(CHROMIUM) || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO=none; fi; \
		if [ "$$SUDO" = none ] || ! command -v apt-get >/dev/null; then \
			echo "No $(CHROMIUM) and no way to apt-get it here: the browser tests will skip"; \
		else \
			echo "Installing Debian's Chromium for the browser tests (apt-get install chromium)"; \
			export DEBIAN_FRONTEND=noninteractive; \
			{ $$SUDO apt-get install -y -qq chromium >/dev/null 2>&1 || \
			  { $$SUDO apt-get update -qq >/dev/null 2>&1 && $$SUDO apt-get install -y -qq chromium >/dev/null 2>&1; }; } || \
			echo "apt-get could not install chromium: the browser tests will skip"; \
		fi; \
	}

test: $(STAMP) browser
	@if $(PY) -c 'import socket; socket.create_connection(("127.0.0.1", 5432), 1)' 2>/dev/null; then \
		echo "PostgreSQL answers on 127.0.0.1:5432: the suite runs on SQLite and PostgreSQL"; \
		ADAPTIVE_TEST_POSTGRES_URL=$${ADAPTIVE_TEST_POSTGRES_URL:-$(PG_URL)} $(PYTEST); \
	else \
		echo "No PostgreSQL on 127.0.0.1:5432: the suite runs on SQLite only"; \
		$(PYTEST); \
	fi

lint: $(STAMP)
	$(VENV)/bin/ruff check adaptive bots webapp tests benchmarks

bench: $(STAMP)
	$(PY) benchmarks/bench_tracing.py
	$(PY) benchmarks/bench_fitting.py
	$(PY) benchmarks/bench_recording.py

clean:
	rm -rf $(VENV) adaptive.db
