#!/usr/bin/env bash
# Runs every Starmine test on a fresh Debian machine: installs what is missing (redis-server),
# then runs the unit and integration tests (which start their own redis-server, Bot API
# emulator and bot processes). Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "==> installing ${need_apt[*]}"
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

if [ ! -f ../shared/bot-api-10.1.json ]; then
  echo "warning: ../shared/bot-api-10.1.json is missing; the Bot API conformance test will fail" >&2
fi

echo "==> cargo fmt --check"
cargo fmt --check
echo "==> cargo clippy"
cargo clippy --all-targets --quiet -- -D warnings
echo "==> cargo test"
cargo test --all-targets --quiet
