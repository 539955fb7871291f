#!/usr/bin/env bash
# Whole-run benchmark: the release binary against the local stand-in (examples/standin.rs) with a
# fixed latency per request. Prints hyperfine's timings, the ideal time and peak memory.
# Usage: scripts/bench_run.sh [LATENCY_MS] [ACCOUNTS] [CONCURRENCY]   (defaults: 100 40 5)
set -euo pipefail
cd "$(dirname "$0")/.."
latency=${1:-100}
accounts=${2:-40}
concurrency=${3:-5}
port=18080

command -v hyperfine >/dev/null || apt-get install -y hyperfine
cargo build --release --quiet --example standin --bin tiktok-review
bin=$PWD/target/release/tiktok-review
work=$(mktemp -d)
trap 'kill "$standin" 2>/dev/null || true; rm -rf "$work"' EXIT
target/release/examples/standin --port "$port" --latency-ms "$latency" --seconds 900 &
standin=$!
sleep 1

users=()
for i in $(seq -w 1 "$accounts"); do users+=(--user "creator$i"); done
export SCAVIO_API_KEY=sk_bench_not_a_real_key SCAVIO_BASE_URL=http://127.0.0.1:$port
run_one=("$bin" run --user creator01 --as-of 2026-11-15T20:00:00Z --reports-dir "$work/one" -q)
run_many=("$bin" run "${users[@]}" --concurrency "$concurrency" --as-of 2026-11-15T20:00:00Z --reports-dir "$work/many" -q)

echo "== 1 account, 3 requests at ${latency} ms: ideal $((3 * latency)) ms"
hyperfine --warmup 2 --runs 20 "${run_one[*]}"
echo "== $accounts accounts at concurrency $concurrency, $((accounts * 3)) requests at ${latency} ms: ideal $((accounts * 3 * latency / concurrency)) ms"
hyperfine --warmup 1 --runs 10 "${run_many[*]}"
echo "== peak memory (max resident set, KiB)"
/usr/bin/time -f "1 account: %M KiB" "${run_one[@]}"
/usr/bin/time -f "$accounts accounts: %M KiB" "${run_many[@]}"
