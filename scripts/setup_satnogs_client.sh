#!/usr/bin/env bash
# The real SatNOGS client, for the test that points it at groundnet's SatNOGS API. It is AGPL: installed
# from PyPI, never copied. It runs in its own virtual environment, .venv-satnogs, built on Debian's Python
# because it needs Hamlib's and gpsd's Python bindings from Debian (python3-hamlib, python3-gps), and it
# pins numpy 1.26 where groundnet's .venv has numpy 2. Quick when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

CLIENT="satnogs-client==2.1.4"
need=()
/usr/bin/python3 -c "import Hamlib" 2>/dev/null || need+=(python3-hamlib)
/usr/bin/python3 -c "import gps" 2>/dev/null || need+=(python3-gps)
/usr/bin/python3 -c "import ensurepip, venv" 2>/dev/null || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi
  echo "setup: installing Debian packages for the SatNOGS client: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
stamp=.venv-satnogs/.groundnet-installed
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$CLIENT" ]; then
  echo "setup: installing the SatNOGS client ($CLIENT) into .venv-satnogs"
  rm -rf .venv-satnogs
  /usr/bin/python3 -m venv --system-site-packages .venv-satnogs
  log=$(mktemp)
  .venv-satnogs/bin/python -m pip install -q "$CLIENT" >"$log" 2>&1 || { cat "$log"; exit 1; }
  rm -f "$log"
  echo "$CLIENT" > "$stamp"
fi
