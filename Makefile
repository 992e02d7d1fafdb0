# Two commands: `make demo` and `make test`. Both create ./.venv if missing
# and install mmkd_rs (editable) through requirements/constraints.txt.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
STAMP := $(VENV)/.mmkd_rs-installed
CONSTRAINTS := requirements/constraints.txt
PYTEST_ARGS ?=

.PHONY: install demo test test-fast clean-venv

install: $(STAMP)

$(STAMP): setup.cfg pyproject.toml $(CONSTRAINTS)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing mmkd_rs into $(VENV) (pinned set, CPU torch)..."
	$(PIP) install -q -c $(CONSTRAINTS) torch==2.13.0
	$(PIP) install -q -c $(CONSTRAINTS) --no-build-isolation -e '.[tests]'
	@touch $(STAMP)

demo: $(STAMP)
	$(PY) tools/demo.py

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

clean-venv:
	rm -rf $(VENV)
