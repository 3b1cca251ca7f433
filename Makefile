# routemap: `make run` serves the app, `make test` runs every check. Each does its own set-up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: run test lint bench loadtest system-deps clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "routemap needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

# Debian packages the tests need: chromium (browser tests), libcairo2 (PNG/PDF export) and
# nginx-core (`nginx -t` checks the example proxy config, deploy/nginx.conf; its service is
# not started). Installed with apt when missing and we may (root, or password-less sudo).
# CHROMIUM, CAIRO_CHECK and NGINX say how "missing" is found (tests/test_system_deps.py
# overrides them).
CHROMIUM ?= /usr/bin/chromium
CAIRO_CHECK ?= ldconfig -p 2>/dev/null | grep -q 'libcairo.so.2'
NGINX ?= /usr/sbin/nginx
system-deps:
	@missing=""; \
	[ -x "$(CHROMIUM)" ] || missing="$$missing chromium"; \
	{ $(CAIRO_CHECK); } || missing="$$missing libcairo2"; \
	[ -x "$(NGINX)" ] || missing="$$missing nginx-core"; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then run=""; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then run="sudo"; \
	else \
	  echo "WARNING: missing:$$missing, and no permission to install it (not root, no password-less sudo)."; \
	  echo "  Install it yourself:  sudo apt-get install -y$$missing"; \
	  echo "  Until then the browser tests (and PNG/PDF export tests) are skipped; under CI=true they fail."; \
	  exit 0; \
	fi; \
	echo "Installing$$missing with apt (Debian packages)"; \
	$$run env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
	  || { echo "ERROR: 'apt-get update' failed: install$$missing by hand (apt-get install -y$$missing)"; exit 1; }; \
	$$run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null \
	  || { echo "ERROR: 'apt-get install$$missing' failed: install it by hand (apt-get install -y$$missing)"; exit 1; }

run: $(STAMP)
	$(BIN)/routemap serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) system-deps lint
	$(BIN)/routemap validate
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP) system-deps
	@$(BIN)/python -c 'import nf_metro' 2>/dev/null || $(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[bench]' \
	  || echo "WARNING: nf-metro could not be installed: the benchmark runs without the comparison"
	$(BIN)/python -m bench

# Not part of `make test`: a load test of gunicorn (2 workers) on 127.0.0.1 with locust.
loadtest: $(STAMP)
	@$(BIN)/python -c 'import locust' 2>/dev/null || $(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[load]'
	./loadtest/run.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
