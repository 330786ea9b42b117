#!/usr/bin/env bash
# Runs the whole test suite in .venv (scripts/setup.sh must have run; `make test` does both).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m pytest -q "$@"
