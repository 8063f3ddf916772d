# The manual: every routine task is a target. Needs only Python >= 3.11 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The demo replays the samples as if live: the article was published at 07:29 UTC that day.
DEMO_NOW ?= 2024-07-04T09:30:00Z

.DEFAULT_GOAL := help
.PHONY: help demo test lint typecheck unit integration e2e validate bench coldstart cost load data categories build deploy clean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("newsalert needs Python >= 3.11") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.local-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[local]"
	@touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.local-installed

# checkov pins boto3 (==1.35.49) and packaging (<24) older than the tests and pytest use, so it gets a
# virtualenv of its own (the "checkov" dependency group of pyproject.toml; pip >= 25.1 reads groups).
$(VENV)/.checkov-installed: pyproject.toml | $(BIN)/python
	$(PYTHON) -m venv $(VENV)/checkov
	$(VENV)/checkov/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/checkov/bin/pip install --quiet --group checkov
	@touch $@

demo: $(VENV)/.local-installed ## run the whole pipeline on embedded AWS with the bundled samples
	$(BIN)/newsalert simulate --now $(DEMO_NOW)

test: lint typecheck validate ## everything CI checks: ruff, checkov, mypy, cfn-lint, then every test
	$(BIN)/pytest

# checkov: every suppression is in template.yaml with its reason; --skip-download: no call to its servers.
lint: $(VENV)/.dev-installed $(VENV)/.checkov-installed ## ruff (lint and format check) and checkov on template.yaml
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(VENV)/checkov/bin/checkov --file template.yaml --framework cloudformation --compact --quiet --skip-download

typecheck: $(VENV)/.dev-installed ## mypy (strict) on the package, the handlers and the benchmarks
	$(BIN)/mypy
	$(BIN)/mypy --explicit-package-bases functions/ingest/app.py
	$(BIN)/mypy --explicit-package-bases functions/classify/app.py
	$(BIN)/mypy --explicit-package-bases functions/notify/app.py
	$(BIN)/mypy --explicit-package-bases functions/sweep/app.py
	$(BIN)/mypy --explicit-package-bases functions/subscriptions/app.py
	MYPYPATH=shared:bench $(BIN)/mypy --explicit-package-bases bench/timing.py bench/bench_ingest.py bench/bench_classify.py bench/bench_stories.py bench/aws_meter.py bench/news_stream.py bench/bench_cost.py bench/bench_cold_start.py bench/bench_load.py bench/bench_watch_topics.py

validate: $(VENV)/.dev-installed ## lint template.yaml with cfn-lint (what `sam validate --lint` runs)
	$(BIN)/cfn-lint template.yaml

unit: $(VENV)/.dev-installed ## unit tests only (no AWS at all)
	$(BIN)/pytest tests/unit

integration: $(VENV)/.dev-installed ## each handler with moto and the sample events
	$(BIN)/pytest tests/integration

e2e: $(VENV)/.dev-installed ## the stack deployed from template.yaml, end to end
	$(BIN)/pytest tests/e2e

bench: $(VENV)/.local-installed ## measure ingest, classify and story grouping speed (figures in docs/benchmarks.md, docs/classifier.md, docs/stories.md)
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_classify.py
	$(BIN)/python bench/bench_stories.py

coldstart: $(VENV)/.local-installed ## each handler's cold start, import plus first-call setup, in fresh processes (docs/benchmarks.md)
	$(BIN)/python bench/bench_cold_start.py

cost: $(VENV)/.local-installed ## what a million articles cost on AWS, metered on embedded AWS (docs/cost.md)
	cd bench && ../$(BIN)/python bench_cost.py

load: $(VENV)/.local-installed ## 10,000 articles through the local runtime, accounted for (FAULTS=0.01: with faults); docs/load.md
	cd bench && ../$(BIN)/python bench_load.py $(if $(ARTICLES),--articles $(ARTICLES)) $(if $(FAULTS),--faults $(FAULTS)) $(if $(LOST),--lost $(LOST))

data: $(VENV)/.local-installed ## rebuild the JSON twins of the bundled YAML files and the taxonomy's parsed queries (after editing shared/newsalert/data/*.yaml)
	$(BIN)/python -m newsalert.tools.compact_data

# IPTC= the IPTC Media Topics scheme (JSON lines; never copied into the repo); CHECK=1 only checks;
# CANDIDATE=file also writes the taxonomy with the derived terms, for `newsalert eval --taxonomy`.
categories: $(VENV)/.local-installed ## derive the categories' IPTC vocabulary (IPTC=scheme.jsonl; CHECK=1: only check); docs/classifier.md
	@test -n "$(IPTC)" || { echo "make categories: name the scheme: make categories IPTC=path/to/iptc-mediatopics.jsonl"; exit 2; }
	$(BIN)/python -m newsalert.tools.iptc_categories "$(IPTC)" $(if $(CHECK),--check) $(if $(CANDIDATE),--candidate "$(CANDIDATE)")

build: ## sam build (needs the AWS SAM CLI, and Python 3.13 on PATH or a container runtime)
	@command -v sam >/dev/null || { echo "make build: the AWS SAM CLI is not installed (pip install aws-sam-cli)"; exit 2; }
	@command -v python3.13 >/dev/null || { echo "make build: sam build needs python3.13 on PATH for the functions (or run: sam build --use-container, with Docker)"; exit 2; }
	sam build

deploy: build ## sam deploy --guided (needs the AWS SAM CLI and AWS credentials)
	sam deploy --guided

clean: ## remove the virtualenv, caches and build output
	rm -rf $(VENV) .aws-sam .newsalert .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
