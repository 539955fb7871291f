#!/usr/bin/env bash
# Scale benchmark: many accounts at the plan's concurrency against the local stand-in
# (examples/standin.rs), with the overview and a webhook delivery, and what those two add.
# Usage: scripts/bench_scale.sh [LATENCY_MS] [ACCOUNTS] [CONCURRENCY]   (defaults: 100 1000 50)
set -euo pipefail
cd "$(dirname "$0")/.."
latency=${1:-100}
accounts=${2:-1000}
concurrency=${3:-50}
port=18081

command -v hyperfine >/dev/null || apt-get install -y hyperfine
[ -n "${NO_BUILD:-}" ] || cargo build --release --quiet --example standin --bin tiktok-review
bin=$PWD/target/release/tiktok-review
work=$(mktemp -d)
trap 'kill "$standin" 2>/dev/null || true; rm -rf "$work"' EXIT
target/release/examples/standin --port "$port" --latency-ms "$latency" --seconds 1800 &
standin=$!
sleep 1

for i in $(seq -w 1 "$accounts"); do echo "creator$i"; done > "$work/accounts.txt"
export SCAVIO_API_KEY=sk_bench_not_a_real_key SCAVIO_BASE_URL=http://127.0.0.1:$port
common=(run --users-file "$work/accounts.txt" --concurrency "$concurrency" --as-of 2026-11-15T20:00:00Z -q)
requests=$((accounts * 3))
ideal_ms=$((requests * latency / concurrency))

echo "== $accounts accounts at concurrency $concurrency: $requests requests at ${latency} ms, ideal ${ideal_ms} ms"
echo "-- with the overview and a webhook delivery (TIKTOK_REVIEW_WEBHOOK_URL)"
TIKTOK_REVIEW_WEBHOOK_URL=http://127.0.0.1:$port/hooks/bench \
  hyperfine --warmup 1 --runs 5 --export-json "$work/with.json" \
  "$bin ${common[*]} --reports-dir $work/with"
echo "-- without delivery (--no-notify)"
hyperfine --warmup 1 --runs 5 --export-json "$work/without.json" \
  "$bin ${common[*]} --reports-dir $work/without --no-notify"
echo "-- the overview alone, rebuilt from the $accounts saved reports"
hyperfine --warmup 1 --runs 10 "$bin overview --reports-dir $work/with --date 2026-11-15"
echo "-- the delivery alone, sent again from disk (send, no API request)"
TIKTOK_REVIEW_WEBHOOK_URL=http://127.0.0.1:$port/hooks/bench \
  hyperfine --warmup 1 --runs 10 "$bin send --reports-dir $work/with --date 2026-11-15 -q"
echo "== peak memory (max resident set)"
TIKTOK_REVIEW_WEBHOOK_URL=http://127.0.0.1:$port/hooks/bench \
  /usr/bin/time -f "$accounts accounts, overview and delivery: %M KiB" "$bin" "${common[@]}" --reports-dir "$work/mem"
