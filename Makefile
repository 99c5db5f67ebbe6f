# protulm: `make demo` runs the main job, `make test` runs every test. Both set up .venv when missing.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
# The project's machines keep real data in ../shared/data; elsewhere set PROTULM_DATA yourself.
SHARED := $(abspath ../shared/data)
ifneq ($(wildcard $(SHARED)),)
export PROTULM_DATA ?= $(SHARED)
endif
export MPLBACKEND ?= Agg
# CPU machines pin torch/torchvision (no CUDA wheels); with a GPU, pip keeps or picks a CUDA build.
CONSTRAINTS ?= $(if $(shell command -v nvidia-smi 2>/dev/null),,-c constraints-cpu.txt)

.PHONY: install demo test check-sync nbtest pytest bench docs clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints-cpu.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	set -o pipefail; $(BIN)/python -m pip install -q --disable-pip-version-check $(CONSTRAINTS) -e '.[dev]' 2>&1 \
	  | { grep -v 'is ignored: it is neither' || true; }
	touch $@

demo: install
	$(BIN)/protulm data list
	$(BIN)/protulm demo --out demo_out --force

test: check-sync nbtest pytest

# Notebooks are the source: fail if exporting or cleaning them, or saving the commands' options (protulm/cli_options.json,
# read by `protulm CMD --help`), would change anything.
check-sync: install
	@state() { git status --porcelain -- protulm nbs; git diff --no-ext-diff -- protulm nbs; }; \
	before=$$(state | md5sum); \
	$(BIN)/nbdev-export && $(BIN)/nbdev-clean && $(BIN)/python -c 'from protulm.cli import write_options; write_options()'; \
	if [ "$$before" != "$$(state | md5sum)" ]; then \
	  echo "check-sync: nbdev-export, nbdev-clean or write_options changed files; commit the exported package, cleaned notebooks and saved options:"; \
	  git status --short -- protulm nbs; exit 1; fi; \
	echo "check-sync: package and notebooks in sync, notebooks clean"

# One BLAS/OpenMP thread per test process: nbdev-test runs two notebooks at once, and torch's threads spin when they
# outnumber the cores (measured 5-130x slower on a busy 2-core machine). Set OMP_NUM_THREADS to override.
nbtest pytest: export OMP_NUM_THREADS ?= 1

nbtest: install
	$(BIN)/nbdev-test --n-workers 2

# pytest runs its tests in PYTEST_WORKERS processes (pytest-xdist; measured on 2 cores: 437 s against 824 s in one).
PYTEST_WORKERS ?= 2
pytest: install
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS)

# Full benchmarks: CPU hours; results are committed in bench/results/ (see its README for the exact commands).
bench: install
	$(BIN)/protulm bench tokenize --out bench/results/tokenize.md
	$(BIN)/protulm bench pretrain --budget 120 --out bench/results/pretrain.md
	$(BIN)/protulm demo --out demo_out --force
	$(BIN)/protulm bench predict demo_out/clas_fwd demo_out/clas_bwd scop:test --out bench/results/predict_demo.md

# Docs: `make docs` writes the site into _docs/ (open _docs/index.html) and README.md from nbs/index.ipynb;
# tools/build_docs.py says how (nbdev's processing, rendered by smalldocs: Quarto cannot install offline).
docs: $(VENV)/.docs-installed
	$(BIN)/python tools/build_docs.py

$(VENV)/.docs-installed: $(VENV)/.installed
	set -o pipefail; $(BIN)/python -m pip install -q --disable-pip-version-check $(CONSTRAINTS) -e '.[dev,docs]' 2>&1 \
	  | { grep -v 'is ignored: it is neither' || true; }
	touch $@

clean:
	rm -rf demo_out .pytest_cache .hypothesis
