# implicit-reg: `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

READINGS := random-labels noise-scale minimum-norm gradient-regularization sgd-regularizer
PROFILE ?= full
SWIFT ?= swift
PYTHON ?= python3
VENV := .venv
VENV_PY := $(VENV)/bin/python
APT_PACKAGES := libhdf5-dev zlib1g-dev libopenblas-dev liblapacke-dev pkg-config dataset-fashion-mnist
# One BLAS thread per process: on 2-vCPU machines a second thread only slows things down.
export OPENBLAS_NUM_THREADS ?= 1
BIN = $(shell $(SWIFT) build -c release --show-bin-path 2>/dev/null)

.PHONY: help deps venv build data test test-fuzz test-cluster verify report figures bench bench-venv clean reproduce-all $(READINGS)

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-24s %s\n", $$1, $$2}'
	@echo "  make <reading>                 Run one reading (PROFILE=full by default; PROFILE=quick for minutes; JOBS=2 shards, make -j2 runs them at once): $(READINGS)"

deps: ## Install the system packages that are missing (Debian/Ubuntu, as root)
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if ! $(PYTHON) -m venv --help >/dev/null 2>&1; then missing="$$missing python3-venv"; fi; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing system packages:$$missing — install them (e.g. sudo apt-get install$$missing) and rerun" >&2; exit 1; fi; \
	fi

$(VENV_PY): Reproductions/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV_PY) -m pip install -q --upgrade pip
	$(VENV_PY) -m pip install -q -r Reproductions/requirements.txt
	@touch $(VENV_PY)

venv: deps $(VENV_PY) ## Make the Python venv for figures and reference checks

build: deps ## Build the executables (release)
	$(SWIFT) build -c release

data: deps ## Get and verify the data sets (offline afterwards)
	bash data/fetch.sh

test: deps data venv ## Unit tests, reference checks and the quick-profile claims
	IMPLICIT_REG_PYTHON=$(abspath $(VENV_PY)) $(SWIFT) test -c release

# FUZZ_ARGS passes options to Tests/fuzz/fuzz.py, e.g. FUZZ_ARGS="--scale 0.05" (the CI slice) or "--seed 7".
FUZZ_ARGS ?=
test-fuzz: deps data ## Fuzz and fault suite: ~11,000 generated inputs (readers, configs, HDF5), kills, a full disk (root); no crash, hang or runaway
	$(SWIFT) build -c release --product implicit-reg-fuzz
	$(SWIFT) build -c release
	$(PYTHON) Tests/fuzz/fuzz.py --bin $(BIN) $(FUZZ_ARGS)

test-cluster: deps data venv build ## As root: a real one-node Slurm (installs it), two readings' quick grids as job arrays, compared with local runs
	BIN=$(BIN) PY=$(VENV_PY) bash Tests/cluster/test-cluster.sh

# A reading's grid runs as JOBS shards (single-threaded processes: `make -j2` runs two at once),
# each point to its own file (done points are skipped), then one merge into summary.h5.
# RESULTS=fresh (default) recomputes into Reproductions/<reading>/results/fresh-<profile>/ (git-ignored),
# then verifies it, draws its figures there and compares it with the committed results;
# RESULTS=committed reuses and extends the committed directory Reproductions/<reading>/results/<profile>/
# (done points are kept: that is how the committed results are refreshed after deleting stale points).
JOBS ?= 2
RESULTS ?= fresh
# `make figures RESULTS=<dir under results/>` draws from that directory instead of the committed one.
FIG_RESULTS := $(filter-out fresh committed,$(RESULTS))
SHARD_IDS := $(shell seq 0 $$(( $(JOBS) - 1 )))
results_dir = Reproductions/$(1)/results/$(if $(filter committed,$(RESULTS)),$(PROFILE),fresh-$(PROFILE))
define reading_rules
$(1)-shards := $(addprefix $(1)-shard-,$(SHARD_IDS))
.PHONY: $$($(1)-shards)
$$($(1)-shards): $(1)-shard-%: build data
	$$(BIN)/$(1) run --profile $$(PROFILE) --out $(call results_dir,$(1)) --shard $$*/$(JOBS) --no-merge
$(1): $$($(1)-shards) venv
	$$(BIN)/$(1) merge --profile $$(PROFILE) --out $(call results_dir,$(1))
	$$(BIN)/$(1) verify --results $(call results_dir,$(1)) --profile $$(PROFILE) || true
	@if [ "$$(RESULTS)" != committed ] && [ -f Reproductions/$(1)/results/$$(PROFILE)/summary.h5 ]; then \
	  $$(BIN)/$(1) compare Reproductions/$(1)/results/$$(PROFILE) $(call results_dir,$(1)) | tee $(call results_dir,$(1))/comparison.txt; fi
	@if [ "$$(RESULTS)" != committed ] && [ -f Reproductions/$(1)/figures.py ]; then \
	  $$(VENV_PY) Reproductions/$(1)/figures.py $(call results_dir,$(1)) $(call results_dir,$(1))/figures; fi
endef
$(foreach r,$(READINGS),$(eval $(call reading_rules,$(r))))

reproduce-all: deps data build venv $(READINGS) ## Recompute every reading (full profile; `make -j2`: points in parallel) into results/fresh-full/, verify, draw its figures, compare with the committed results
	@echo "fresh results, figures and comparison.txt: Reproductions/<reading>/results/fresh-$(PROFILE)/ (RESULTS=committed reuses the committed ones)"

verify: build ## Check every claim against the committed full-profile results
	@status=0; for r in $(READINGS); do $(BIN)/$$r verify --results Reproductions/$$r/results/full --profile full || status=1; echo; done; exit $$status

report: build ## Render REPORT.md from the committed results and claims
	@bash Reproductions/render-report.sh $(BIN) > REPORT.md.tmp && mv REPORT.md.tmp REPORT.md && echo "wrote REPORT.md"

figures: venv ## Draw the PNG figures from the committed results (RESULTS=fresh-full: from results/fresh-full/ of every reading, into its figures/)
	@for r in $(READINGS); do if [ -f Reproductions/$$r/figures.py ]; then \
	  if [ -n "$(FIG_RESULTS)" ]; then $(VENV_PY) Reproductions/$$r/figures.py Reproductions/$$r/results/$(FIG_RESULTS) Reproductions/$$r/results/$(FIG_RESULTS)/figures || exit 1; \
	  else $(VENV_PY) Reproductions/$$r/figures.py Reproductions/$$r/results/full Reproductions/$$r/figures || exit 1; fi; fi; done

# `make bench`: its own venv (.venv-bench: pinned numpy, jax, jaxlib, h5py) so the figures' venv never pulls in JAX.
# BENCH_ARGS passes options to bench/bench.py, e.g. BENCH_ARGS="--coretype SkylakeX" or "--rounds 7".
BENCH_VENV := .venv-bench
BENCH_PY := $(BENCH_VENV)/bin/python
BENCH_ARGS ?=

$(BENCH_PY): bench/requirements.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_PY) -m pip install -q --upgrade pip
	$(BENCH_PY) -m pip install -q -r bench/requirements.txt
	@touch $(BENCH_PY)

bench-venv: deps $(BENCH_PY) ## Make the benchmark's Python venv (.venv-bench)

bench: build bench-venv ## Time the core vs OpenBLAS peak, JAX, NumPy (PyTorch if installed): bench/latest.json, bench/results.h5
	$(BENCH_PY) bench/bench.py --core-bin $(BIN)/implicit-reg-bench --python $(abspath $(BENCH_PY)) $(BENCH_ARGS)

clean: ## Remove build products, quick results and the venvs
	rm -rf .build $(VENV) $(BENCH_VENV) Reproductions/*/results/quick Reproductions/*/results/fresh-*
