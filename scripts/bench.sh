#!/usr/bin/env bash
# Builds the release binary and runs every benchmark after printing the machine (method and
# figures in BENCHMARKS.md). Usage: scripts/bench.sh [--quick]   (--quick: a smoke run)
# REDIS_URL set: the Redis benches run against it (an empty database; give each run a fresh
# one); unset: they start throwaway redis-servers of their own. The flash sale, purchase flow
# and game API benches run the bot itself (`starmine serve`) against the built-in emulator.
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
sale_players=20000
flows=5000
flow_concurrency=1000
limited_players=300
api_players=2000
api_runs=20000
api_concurrency=1000
if [ "${1:-}" = "--quick" ]; then
  players=1000,10000
  batch=100,1000
  ticks=20
  batches=3
  sale_players=2000
  flows=300
  flow_concurrency=100
  limited_players=30
  api_players=200
  api_runs=1000
  api_concurrency=100
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

echo "==> $bin bench flash-sale --players $sale_players --units 100"
"$bin" bench flash-sale --players "$sale_players" --units 100

echo "==> $bin bench purchase-flow --flows $flows --concurrency $flow_concurrency --limited-players $limited_players"
"$bin" bench purchase-flow --flows "$flows" --concurrency "$flow_concurrency" --limited-players "$limited_players"

echo "==> $bin bench game-api --players $api_players --runs $api_runs --concurrency $api_concurrency"
"$bin" bench game-api --players "$api_players" --runs "$api_runs" --concurrency "$api_concurrency"
