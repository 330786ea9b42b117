# The two entry points of the README. Each sets up what it needs first (scripts/setup.sh is quick when done):
# `make run` only what running needs; `make test` also the test tools, Chromium and PostgreSQL.
.PHONY: run test setup setup-test bench

setup:
	./scripts/setup.sh run

setup-test:
	./scripts/setup.sh test

run: setup
	.venv/bin/groundnet demo

test: setup-test
	./scripts/test.sh

bench: setup-test
	.venv/bin/python bench/passes.py
