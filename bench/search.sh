#!/usr/bin/env bash
# Benchmark (not a test): search requests per second and p99 at /sok/, every request a real
# search (the page cache is off: PAGE_CACHE_SECONDS=0), under gunicorn with production
# settings on PostgreSQL and Redis, first with the seeded content and then with each number
# in SIZES of extra members, sent issues (3 kB of text each), documents and contact people.
# Queries rotate through bench/search_queries.txt.
#
#   bench/search.sh [SECONDS] [SIZES]      defaults: 5 seconds per run, sizes 100,1000
#
# Environment as bench/run.sh (BENCH_PORT, BENCH_CACHE_URL, BENCH_CONNECTIONS, BENCH_THREADS,
# WEB_CONCURRENCY …); the database is BENCH_SEARCH_DATABASE_URL (default
# postgres://postgres@127.0.0.1:5432/nspm_bench_search), dropped and re-created.
# Everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN="${1:-${BENCH_SECONDS:-5}}"
SIZES="${2:-100,1000}"
PORT="${BENCH_PORT:-8106}"
DATABASE_URL="${BENCH_SEARCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/nspm_bench_search}"
CACHE_URL="${BENCH_CACHE_URL:-redis://127.0.0.1:6379/6}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"
PY=.venv/bin/python
BASE="http://127.0.0.1:${PORT}"

for tool in wrk psql redis-cli curl; do
  command -v "$tool" >/dev/null || { echo "bench: needs $tool" >&2; exit 2; }
done

WORK="$(mktemp -d /tmp/nspm-bench-search.XXXXXX)"
GUNICORN_PID=""
cleanup() {
  if [[ -n $GUNICORN_PID ]] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill -TERM "$GUNICORN_PID"
    for _ in $(seq 150); do kill -0 "$GUNICORN_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$GUNICORN_PID" 2>/dev/null || true
  fi
  if grep -q '"level": "ERROR"' "$WORK/gunicorn.log" 2>/dev/null; then
    echo "gunicorn logged errors:" >&2
    grep '"level": "ERROR"' "$WORK/gunicorn.log" | head -20 >&2
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

export DJANGO_SETTINGS_MODULE=nspm_portal.settings.prod
export SECRET_KEY="bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ALLOWED_HOSTS=127.0.0.1,localhost
export DATABASE_URL CACHE_URL
export STATIC_ROOT="$WORK/static" MEDIA_ROOT="$WORK/media"
export NSPM_MULTI_PROCESS=1 PAGE_CACHE_SECONDS=0
export GUNICORN_BIND="127.0.0.1:${PORT}"

DB_NAME="${DATABASE_URL##*/}"
psql -q "${DATABASE_URL%/*}/postgres" -c "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" \
  -c "CREATE DATABASE \"$DB_NAME\""
redis-cli -u "$CACHE_URL" flushdb >/dev/null
$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0

.venv/bin/gunicorn -c gunicorn.conf.py >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 100); do
  curl -fsS -H 'X-Forwarded-Proto: https' "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

measure() {
  local label=$1
  # Warm up: every query once (connections, template cache, the helpline schedule).
  grep -v '^#' bench/search_queries.txt | while read -r q; do
    curl -fsS -o /dev/null -H 'X-Forwarded-Proto: https' "$BASE/sok/?q=$q"
  done
  local line
  line=$(wrk -c"$CONNECTIONS" -t"$THREADS" -d"${SECONDS_PER_RUN}s" --timeout 5s \
    -s bench/wrk_search.lua "$BASE/" | grep '^WRK_JSON ' | sed 's/^WRK_JSON //')
  $PY - "$label" "$line" <<'PYEOF'
import json, sys
label, data = sys.argv[1], json.loads(sys.argv[2])
rps = data["requests"] / (data["duration_us"] / 1e6)
print(f"{label:<40} {rps:>8.0f} req/s  p50 {data['p50_us'] / 1000:>6.1f} ms  "
      f"p99 {data['p99_us'] / 1000:>6.1f} ms  non-2xx {data['non2xx']}  "
      f"socket errors {data['socket_errors']}")
PYEOF
}

echo "wrk -c $CONNECTIONS -t $THREADS -d ${SECONDS_PER_RUN}s, /sok/ uncached, $(nproc) cores"
measure "seeded content"
for size in ${SIZES//,/ }; do
  $PY bench/search_rows.py "$size" >/dev/null
  measure "seeded content + $size rows of each kind"
done
