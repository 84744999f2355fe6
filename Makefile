# Two commands on a fresh machine (python3, make and the package registries):
#   make run    install, build the graph from data/, print its statistics, answer a question,
#               write the network page
#   make test   install what the tests need (Python packages, Chromium, CJK fonts), type-check kg/
#               with mypy and run the tests
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
KG     := $(VENV)/bin/kg
# Exact versions with their hashes, for every platform (make lock writes them): run.txt for
# `make run`, dev.txt (the extras too) for `make test`. Both hold the build backend, so kg
# itself installs with no unlocked download.
LOCK_RUN := requirements/run.txt
LOCK_DEV := requirements/dev.txt
PIP := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: run test install dev system-deps virtuoso lint docs notebooks lock upgrade-check bench clean

$(VENV)/.installed: pyproject.toml $(LOCK_RUN)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip uninstall --quiet --yes kg 2>/dev/null || true  # kg's former distribution name
	$(PIP) --require-hashes -r $(LOCK_RUN)
	$(PIP) --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed $(LOCK_DEV)
	$(PIP) --require-hashes -r $(LOCK_DEV)
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

run: install
	$(KG) build
	$(KG) stats
	$(KG) query 01-partners-of-organization --param org=tencent-education
	$(KG) viz -o build/network.html
	@echo "open build/network.html in a browser (it works offline)"

# Browser tests need Chromium and CJK fonts from Debian; install them when missing.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
	    chromium fonts-noto-cjk >/dev/null; \
	fi

# Virtuoso, the second SPARQL engine of the tests (Debian's virtuoso-opensource), installed when
# missing without starting Debian's system server (a policy-rc.d for the install, then stopped
# and disabled): the tests start their own on 127.0.0.1, on free ports, with a scratch database.
virtuoso:
	@if ! command -v virtuoso-t >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); NOSTART=; \
	  if [ ! -e /usr/sbin/policy-rc.d ]; then \
	    printf '#!/bin/sh\nexit 101\n' | $$SUDO tee /usr/sbin/policy-rc.d >/dev/null && \
	    $$SUDO chmod 755 /usr/sbin/policy-rc.d && NOSTART=1; \
	  fi; \
	  $$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
	    --no-install-recommends virtuoso-opensource >/dev/null; status=$$?; \
	  if [ -n "$$NOSTART" ]; then $$SUDO rm -f /usr/sbin/policy-rc.d; fi; \
	  $$SUDO service virtuoso-opensource-7 stop >/dev/null 2>&1 || true; \
	  $$SUDO update-rc.d virtuoso-opensource-7 disable >/dev/null 2>&1 || true; \
	  exit $$status; \
	fi

# The tests run on every core (pytest-xdist), a test file's tests together on one worker: its
# module fixtures (a Virtuoso, a browser, a built project) start once, as in a serial run. Safe in
# parallel: tests write under their own tmp folders, servers take free ports, Hypothesis keeps no
# example database, and the one shared folder, this checkout's build/, is written under its lock.
# The files are handed out in the order tests/conftest.py puts them, the slow ones first.
PYTEST_PARALLEL := -n auto --dist loadfile --no-loadscope-reorder

# mypy type-checks kg/ beside the tests, its report printed after theirs: run first, a cold mypy
# (16 s of one core) added its time to the wall time. (As one test of the suite it would start
# last: xdist hands out the files with the most tests first.) Fails when either fails.
# The tests write bytecode even where the environment says not to (PYTHONDONTWRITEBYTECODE, set
# on the CI image): each worker and every kg subprocess then compiled kg/ and tests/ from source,
# 18 s of the 160 s wall time on 2 cores. The caches land in __pycache__/, which git ignores.
test: dev system-deps virtuoso
	@report=$$(mktemp); $(PY) -m mypy >$$report 2>&1 & types=$$!; \
	echo "$(PY) -m pytest $(PYTEST_PARALLEL)  (and $(PY) -m mypy beside it)"; \
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest $(PYTEST_PARALLEL); tests=$$?; \
	wait $$types; typed=$$?; echo "mypy:"; cat $$report; rm -f $$report; \
	[ $$tests -eq 0 ] && [ $$typed -eq 0 ]

lint: dev
	$(VENV)/bin/ruff check kg tests benchmarks
	$(PY) -m mypy

# Rewrite the command outputs shown in README.md by running the commands (tests/test_docs.py
# fails when they are stale) and the catalogue of named questions, queries/README.md.
docs: dev
	$(KG) build
	$(VENV)/bin/cog -r -I docs README.md
	$(PY) -m kg.ask.catalogue

# Run every notebook of notebooks/ on a fresh kernel and write the executed copy as one HTML page,
# build/notebooks/NAME.html, that opens offline with its tables and charts (the committed
# notebooks stay without outputs). One notebook: $(PY) -m kg.notebooks.render notebooks/NAME.ipynb
notebooks: dev
	$(KG) build
	$(PY) -m kg.notebooks.render

# Refresh the lock: the newest versions pyproject.toml allows, pinned with their hashes.
lock: dev
	@mkdir -p build
	$(PY) -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['build-system']['requires'], sep='\n')" \
	  > build/build-requires.in
	echo editables >> build/build-requires.in  # what hatchling needs for an editable install
	$(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" pyproject.toml build/build-requires.in -o $(LOCK_RUN)
	$(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" --all-extras pyproject.toml build/build-requires.in -o $(LOCK_DEV)

# The tests against the newest versions pyproject.toml allows, in a venv of their own.
UPGRADE_VENV := build/upgrade-venv
upgrade-check: system-deps virtuoso
	rm -rf $(UPGRADE_VENV)
	$(PYTHON) -m venv $(UPGRADE_VENV)
	$(UPGRADE_VENV)/bin/python -m pip install --quiet --upgrade -e '.[dev]'
	$(UPGRADE_VENV)/bin/python -m pip list --format=freeze | grep -v '^edu-equity-kg' > build/upgrade-versions.txt
	$(UPGRADE_VENV)/bin/python -m pytest $(PYTEST_PARALLEL)
	@echo "passed with the newest allowed versions (build/upgrade-versions.txt); make lock takes them"

# Measured figures, printed (not part of make test). 1M by hand: bench_scale.py --sizes 1M
bench: dev system-deps
	$(KG) build
	$(PY) benchmarks/bench_cli.py
	$(PY) benchmarks/bench_render.py
	$(PY) benchmarks/bench_scale.py --sizes 10k,100k --timeout 5

clean:
	rm -rf build
