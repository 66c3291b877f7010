#!/usr/bin/env bash
# Runs every Starmine test on a fresh Debian machine: installs what is missing (redis-server;
# for the real-browser test Debian's chromium, fonts-dejavu-core, fonts-noto-color-emoji, node
# and playwright-core from package-lock.json, never a downloaded browser), then runs the pages' unit
# tests (node's own test runner on tests/js/), the Rust unit and integration tests (which start
# their own redis-server, Bot API emulator and bot processes). Non-interactive.
# Fails when a redis-server, starmine or chromium process this run started is still alive at the
# end (a test that leaks one is a bug: it would pile up on every run).
# Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
# The real-browser test (tests/integration/browser.rs): headless Chromium driven by node.
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || need_apt+=(chromium)
installed fonts-dejavu-core || need_apt+=(fonts-dejavu-core)
# Emoji in the bot's texts and buttons, so screenshots show what Telegram shows (not boxes).
installed fonts-noto-color-emoji || need_apt+=(fonts-noto-color-emoji)
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

# The run's own temp dir: every test process inherits it as TMPDIR, so the processes this run
# starts either run in it (redis-server changes into its --dir, a temp dir) or carry it in their
# environment (starmine, the Chromium browser) — which tells them from parallel runs elsewhere.
run_tmp=$(mktemp -d "${TMPDIR:-/tmp}/starmine-test.XXXXXX")
trap 'rm -rf "$run_tmp"' EXIT
export TMPDIR="$run_tmp"
# One pgrep per name: pgrep matches a pattern against the 15-character process name and finds
# nothing for a longer pattern such as 'redis-server|starmine|chromium'.
watched() {
  local name
  for name in redis-server starmine chromium; do pgrep -x "$name" || true; done
}
before=" $(watched | tr '\n' ' ') "

# Watched processes that were not running at the start and belong to this run (with the
# children of one, e.g. a Chromium's renderers, which share its session).
ours() {
  local pid sessions=" "
  for pid in $(watched); do
    case "$before" in *" $pid "*) continue ;; esac
    if [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)/" == "$run_tmp/"* ]] \
      || tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ" | grep -qxF "TMPDIR=$run_tmp"; then
      echo "$pid"
      sessions+="$pid "
    fi
  done
  for pid in $(watched); do
    case "$sessions" in *" $pid "*) continue ;; esac
    case "$sessions" in *" $(ps -o sid= -p "$pid" | tr -d ' ') "*) echo "$pid" ;; esac
  done
}

# Waits up to 5 s for processes that are just exiting; prints what is still alive, then fails.
check_leftovers() {
  local left=""
  for _ in $(seq 20); do
    left=$(ours)
    [ -z "$left" ] && return 0
    sleep 0.25
  done
  echo "error: processes this test run started are still running:" >&2
  for pid in $left; do
    echo "  $pid $(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" >&2
  done
  return 1
}

echo "==> cargo fmt --check"
cargo fmt --check
echo "==> cargo clippy"
cargo clippy --all-targets --quiet -- -D warnings
# The pages' pure modules (scoring, a run's rules, formatting, parsing): no browser needed.
echo "==> node --test tests/js"
node --test tests/js/*.test.mjs
echo "==> cargo test"
status=0
cargo test --all-targets --quiet || status=$?
echo "==> leftover processes"
check_leftovers || status=1
exit "$status"
