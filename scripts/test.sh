#!/usr/bin/env bash
# Runs every Starmine test on a fresh Debian machine: installs what is missing (redis-server;
# for the real-browser test Debian's chromium, fonts-dejavu-core, node and playwright-core from
# package-lock.json, never a downloaded browser), then runs the unit and integration tests
# (which start their own redis-server, Bot API emulator and bot processes). Non-interactive.
# Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
# The real-browser test (tests/integration/browser.rs): headless Chromium driven by node.
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || need_apt+=(chromium)
installed fonts-dejavu-core || need_apt+=(fonts-dejavu-core)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "==> installing ${need_apt[*]}"
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo -n"; fi
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

# playwright-core as package-lock.json pins it; npm ci again only when the lock file changed.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
  || [ ! -f node_modules/playwright-core/package.json ]; then
  echo "==> npm ci"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
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
