# Two commands on a fresh machine (python3, make and the package registries):
#   make run    install, build the graph from data/, print its statistics, answer a question,
#               write the network page
#   make test   install what the tests need (Python packages, Chromium, CJK fonts) and run them
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
KG     := $(VENV)/bin/kg

.PHONY: run test install dev system-deps virtuoso lint bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev]'
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
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
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

test: dev system-deps virtuoso
	$(PY) -m pytest

lint: dev
	$(VENV)/bin/ruff check kg tests benchmarks

# Measured figures, printed (not part of make test). 1M by hand: bench_scale.py --sizes 1M
bench: dev system-deps
	$(KG) build
	$(PY) benchmarks/bench_cli.py
	$(PY) benchmarks/bench_render.py
	$(PY) benchmarks/bench_scale.py --sizes 10k,100k --timeout 5

clean:
	rm -rf build
