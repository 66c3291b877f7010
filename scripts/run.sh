#!/usr/bin/env bash
# Runs Starmine. With no TELOXIDE_TOKEN it is the local sandbox: open the printed URL in a
# browser, chat with the bot, buy and refund with sandbox Stars, play the arcade run.
# With TELOXIDE_TOKEN set it is the real bot. Installs redis-server (apt-get) when missing, and
# for the sandbox the emoji font its page needs (fonts-noto-color-emoji).
# Usage: scripts/run.sh            (any extra arguments go to `starmine serve`, e.g. --reset:
#                                   start the sandbox afresh, its Redis, Star ledger and chat removed)
set -euo pipefail
cd "$(dirname "$0")/.."

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

need_apt=()
if [ -z "${REDIS_URL:-}" ] && ! command -v redis-server >/dev/null 2>&1; then
  need_apt+=(redis-server)
fi
# The sandbox page and the game draw their icons with emoji: without an emoji font the browser
# on this machine shows every one as an empty box. (Debian/Ubuntu only: elsewhere, install an
# emoji font yourself.)
if [ -z "${TELOXIDE_TOKEN:-}" ] && command -v dpkg-query >/dev/null 2>&1 && ! installed fonts-noto-color-emoji; then
  need_apt+=(fonts-noto-color-emoji)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "==> installing ${need_apt[*]} with apt-get"
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

# The sandbox builds fast in the dev profile (a few minutes the first time); a real bot runs
# the optimised build.
if [ -n "${TELOXIDE_TOKEN:-}" ]; then
  exec cargo run --release --quiet -- serve "$@"
fi
exec cargo run --quiet -- serve "$@"
