# One place that installs qcode and runs it. `make app` and `make test` are the README's two commands.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLE_DB ?= sample.duckdb
PORT ?= 8501

.PHONY: install app sample test test-fast test-model test-browser bench clean

install: $(VENV)/.installed

# torch is installed first, pinned to the CPU build, so the project's `torch>=2.1` pulls no CUDA packages.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# The sample project works on a copy of the default codebook, so edits in the app never touch codebooks/.
sample: install
	rm -f $(SAMPLE_DB)
	cp codebooks/district-leaders-ai.yaml sample-codebook.yaml
	$(BIN)/qcode init --db $(SAMPLE_DB)
	$(BIN)/qcode ingest transcripts --db $(SAMPLE_DB)
	$(BIN)/qcode codebook load sample-codebook.yaml --db $(SAMPLE_DB)
	$(BIN)/qcode import-codings transcripts/sample-codings.csv --coder sample --db $(SAMPLE_DB)
	$(BIN)/qcode transcripts --db $(SAMPLE_DB)

app: sample
	$(BIN)/qcode app --db $(SAMPLE_DB) --port $(PORT)

# pytest exits 5 when a marker selects no test; that is not a failure of the suite.
test: install
	$(BIN)/pytest -q
	$(BIN)/pytest -q -m model || [ $$? -eq 5 ]
	$(BIN)/pytest -q -m browser || [ $$? -eq 5 ]

test-fast: install
	$(BIN)/pytest -q

bench: install
	$(BIN)/python -m benchmarks.bench_ingest
	$(BIN)/python -m benchmarks.bench_embedding
	$(BIN)/python -m benchmarks.bench_clustering
	$(BIN)/python -m benchmarks.bench_themes --choose-per-half
	$(BIN)/python -m benchmarks.bench_suggestions
	$(BIN)/python -m benchmarks.bench_review
	$(BIN)/python -m benchmarks.bench_refi
	$(BIN)/python -m benchmarks.bench_search
	$(BIN)/python -m benchmarks.bench_llm

clean:
	rm -rf $(VENV) $(SAMPLE_DB) .pytest_cache
