#!/usr/bin/env bash
# Runs Starmine. With no TELOXIDE_TOKEN it is the local sandbox: open the printed URL in a
# browser, chat with the bot, buy and refund with sandbox Stars, play the arcade run.
# With TELOXIDE_TOKEN set it is the real bot. Installs redis-server (apt-get) when missing.
# Usage: scripts/run.sh            (any extra arguments go to `starmine serve`)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${REDIS_URL:-}" ] && ! command -v redis-server >/dev/null 2>&1; then
  echo "==> redis-server is missing; installing it with apt-get"
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends redis-server
fi

# The sandbox builds fast in the dev profile (a few minutes the first time); a real bot runs
# the optimised build.
if [ -n "${TELOXIDE_TOKEN:-}" ]; then
  exec cargo run --release --quiet -- serve "$@"
fi
exec cargo run --quiet -- serve "$@"
