# The two entry points of the README. Both set everything up first (scripts/setup.sh is quick when done).
.PHONY: run test setup bench

setup:
	./scripts/setup.sh

run: setup
	.venv/bin/groundnet demo

test: setup
	./scripts/test.sh

bench: setup
	.venv/bin/python bench/passes.py
