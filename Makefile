# The two commands: `make run` starts the chat, `make test` runs the tests. Both set everything up first.
.PHONY: run test setup bench

setup:
	@scripts/setup

run: setup
	.venv/bin/python app.py

test:
	@scripts/setup test
	@scripts/install-browser
	.venv/bin/python -m pytest

bench: setup
	.venv/bin/python bench/bench_core.py
