#!/usr/bin/env bash
# Set up (on first use) and start the console:   ./run.sh [console options]
# Run the test suite:                            ./run.sh test [pytest options]
#
# Setting up means: the Debian packages the console uses (as root, with apt-get; skip with
# TT_NO_APT=1), a virtual environment in .venv, and the Python dependencies from pyproject.toml.
# It is repeated only when pyproject.toml changes. With no configuration the console starts a demo
# station: an embedded broker and a simulated fleet.
set -euo pipefail
cd "$(dirname "$0")"

MODE=run
if [ "${1:-}" = "test" ]; then MODE=test; shift; fi

# What the console uses at run time: a broker for the demo, ffmpeg for audio, parec for recording, the
# shared libraries Qt needs on a bare machine, and fonts with Vietnamese glyphs.
RUN_PKGS="mosquitto ffmpeg libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 \
libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 \
libxcb-render-util0 libxcb-image0 libpulse0 pulseaudio-utils fonts-dejavu-core fonts-noto-core"
# What the tests use besides: a PostgreSQL server, the mosquitto clients, a virtual display and sound,
# and an Icecast server to push live streams to.
TEST_PKGS="mosquitto-clients postgresql xvfb pulseaudio icecast2"

missing_packages() {
  local p out=""
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || out="$out $p"; done
  echo "$out"
}

install_system_packages() {
  command -v apt-get >/dev/null 2>&1 || return 0
  [ "${TT_NO_APT:-0}" = "1" ] && return 0
  local want="$RUN_PKGS"
  # Debian's own Python keeps venv/ensurepip in a separate package.
  "${PYTHON:-python3}" -c 'import ensurepip' 2>/dev/null || want="$want python3-venv"
  [ "$MODE" = test ] && want="$want $TEST_PKGS"
  local missing
  missing=$(missing_packages $want)
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "note: missing Debian packages:$missing" >&2
    echo "      install them with: sudo apt-get install$missing  (the console degrades without them)" >&2
    return 0
  fi
  echo "Installing Debian packages:$missing" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

setup_venv() {
  local py="${PYTHON:-python3}"
  "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "error: Python 3.11 or newer is needed ($py is $("$py" -V 2>&1))" >&2; exit 2; }
  [ -x .venv/bin/python ] || "$py" -m venv .venv
  local extras="" stamp
  [ "$MODE" = test ] && extras="[test]"
  stamp="$(sha256sum pyproject.toml | cut -c1-16)$extras"
  if [ "$(cat .venv/.tt-setup 2>/dev/null)" != "$stamp" ]; then
    echo "Installing Python dependencies into .venv ..." >&2
    .venv/bin/python -m pip install -q --upgrade pip >/dev/null
    .venv/bin/python -m pip install -q -e ".$extras"
    echo "$stamp" > .venv/.tt-setup
  fi
}

install_system_packages
setup_venv

if [ "$MODE" = test ]; then
  # A PostgreSQL server for the storage tests (started here; CI's machine has none running).
  if [ -z "${TEST_POSTGRES_URL:-}" ] && [ -x .ci/postgres.sh ] && [ "$(id -u)" = 0 ]; then
    eval "$(bash .ci/postgres.sh)"
  fi
  export QT_QPA_PLATFORM=offscreen
  # One worker per core (TT_TEST_WORKERS=0: none), a test module per worker: most tests wait on real
  # brokers, devices and air times, so two workers on two cores take about half the time.
  exec .venv/bin/python -m pytest -n "${TT_TEST_WORKERS:-auto}" --dist loadfile "$@"
fi
exec .venv/bin/python main.py "$@"
