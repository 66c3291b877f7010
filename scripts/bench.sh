#!/usr/bin/env bash
# Builds the release binary and runs both benchmarks after printing the machine (method and
# figures in BENCHMARKS.md). Usage: scripts/bench.sh [--quick]   (--quick: a smoke run)
# REDIS_URL set: the mutation bench runs against it (an empty database); unset: it starts
# throwaway redis-servers of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-benchmark >/dev/null 2>&1; then
  echo "==> installing redis-server (it ships redis-benchmark)"
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends redis-server
fi

players=10000,100000,1000000
batch=100,1000,10000
ticks=200
batches=20
if [ "${1:-}" = "--quick" ]; then
  players=1000,10000
  batch=100,1000
  ticks=20
  batches=3
fi

echo "==> machine"
echo "nproc: $(nproc)"
echo "cpu: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n1)"
echo "ram: $(free -h | awk '/^Mem:/ {print $2}')"
rustc --version
redis-server --version

echo "==> cargo build --release"
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/starmine"

# One process per size, so each RSS figure holds that World alone.
IFS=, read -r -a sizes <<<"$players"
for size in "${sizes[@]}"; do
  echo "==> $bin bench tick --players $size --ticks $ticks"
  "$bin" bench tick --players "$size" --ticks "$ticks"
done

echo "==> $bin bench redis --batch $batch --batches $batches"
"$bin" bench redis --batch "$batch" --batches "$batches"
