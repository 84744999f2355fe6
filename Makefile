# Two commands on a fresh machine (python3, make and the package registries):
#   make run    install, build the graph from data/, print its statistics, answer a question,
#               write the network page
#   make test   install what the tests need (Python packages, Chromium, CJK fonts) and run them
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
KG     := $(VENV)/bin/kg

.PHONY: run test install dev system-deps lint bench clean

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

test: dev system-deps
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
