#!/usr/bin/env bash
# Sets up groundnet on a fresh Debian machine, and is quick when already done.
#
#   scripts/setup.sh run    what running needs (`make run`): a virtual environment at .venv with groundnet
#                           and its Python dependencies, and the browser board's npm packages and build
#   scripts/setup.sh test   that, plus what the tests need (`make test`): the `dev` extra (pytest, hypothesis,
#                           playwright, schemathesis), Debian's chromium (browser tests), postgresql (database
#                           tests) and libhamlib-utils (Hamlib's rotctld and rigctld, which the station agent
#                           drives and its tests start), and the real SatNOGS client in .venv-satnogs
#                           (scripts/setup_satnogs_client.sh); set GROUNDNET_SKIP_APT=1 to skip the Debian packages
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
case "$mode" in
  run) extra="" ;;
  test) extra="[dev]" ;;
  *) echo "setup: unknown mode '$mode': use 'run' (what running needs) or 'test' (also what the tests need)" >&2; exit 2 ;;
esac

if [ "$mode" = "test" ] && [ "${GROUNDNET_SKIP_APT:-0}" != "1" ]; then
  need_apt=()
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
  command -v rotctld >/dev/null 2>&1 && command -v rigctld >/dev/null 2>&1 || need_apt+=(libhamlib-utils)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
  if [ ${#need_apt[@]} -gt 0 ]; then
    if [ "$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi
    echo "setup: installing Debian packages for the tests: ${need_apt[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
# One stamp per mode: the test set includes the run set, so a test setup also satisfies `run`.
want=$(sha256sum pyproject.toml | cut -c1-16)
stamp_test=.venv/.groundnet-installed-test
stamp=.venv/.groundnet-installed-$mode
if [ "$mode" = "run" ] && [ -f "$stamp_test" ] && [ "$(cat "$stamp_test")" = "$want" ]; then
  stamp=$stamp_test
fi
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing groundnet${extra} and its Python dependencies into .venv"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".${extra}"
  echo "setup: compiling the pass search (once; cached on disk)"
  .venv/bin/python -c "from groundnet.visibility.passes import compile_ahead; compile_ahead()"
  echo "$want" > "$stamp"
fi

if [ "$mode" = "test" ] && [ "${GROUNDNET_SKIP_APT:-0}" != "1" ]; then
  ./scripts/setup_satnogs_client.sh  # the real SatNOGS client, for the SatNOGS interoperability test
fi

web=src/groundnet/web
if [ -f "$web/package.json" ]; then
  wstamp=$web/node_modules/.groundnet-built
  # Rebuild when the packages, the page's own sources or the API it is typed from change.
  wwant=$( { (cd "$web" && find . \( -path ./node_modules -o -path ./dist -o -path ./src/generated \) -prune -o -type f -print \
            | sort | xargs cat); find src/groundnet/api -name '*.py' | sort | xargs cat; } | sha256sum | cut -c1-16)
  if [ ! -f "$wstamp" ] || [ "$(cat "$wstamp")" != "$wwant" ] || [ ! -d "$web/dist" ]; then
    echo "setup: installing and building the browser board (npm)"
    # The build writes the board's types from the API's OpenAPI document, with the venv's Python.
    (cd "$web" && { [ -f package-lock.json ] && npm ci --no-audit --no-fund -s || npm install --no-audit --no-fund -s; } \
      && GROUNDNET_PYTHON="$PWD/../../../.venv/bin/python" npm run -s build)
    echo "$wwant" > "$wstamp"
  fi
fi
echo "setup: ready ($mode)"
