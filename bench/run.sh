#!/usr/bin/env bash
# Benchmark: the public pages under gunicorn with production settings on PostgreSQL and
# Redis, as behind the TLS proxy (plain HTTP on loopback, X-Forwarded-Proto: https), loaded
# with wrk beside a static file of the same size served by the same server in the same run.
#
#   bench/run.sh [SECONDS_PER_URL]        (or: make bench)
#
# Environment (all optional):
#   BENCH_SECONDS=5             wrk duration per run (the argument wins); 3 runs per page
#   BENCH_PORT=8106             loopback port for gunicorn
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/nspm_bench   (dropped and re-created)
#   BENCH_CACHE_URL=redis://127.0.0.1:6379/6                           (flushed)
#   WEB_CONCURRENCY, GUNICORN_WORKER_CLASS, GUNICORN_THREADS           as in gunicorn.conf.py
#   BENCH_CONNECTIONS=32 BENCH_THREADS=2                               wrk -c / -t
#   BENCH_ONLY=lookup           only the uncached coordinator lookups (no page runs)
#   BENCH_FLUSH=1               0: leave the cache database as it is (one shared with others)
#
# Everything it starts is stopped on exit, also on Ctrl-C. Exit status 1 when a target is
# missed (each page ≥ 0.7 × the static file's req/s, p99 < 50 ms; uncached lookups, a place
# no request asked before in each request, ≥ 0.15 × the lookup page's static copy; zero errors).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_URL="${1:-${BENCH_SECONDS:-5}}"
PORT="${BENCH_PORT:-8106}"
DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/nspm_bench}"
CACHE_URL="${BENCH_CACHE_URL:-redis://127.0.0.1:6379/6}"
PY=.venv/bin/python
BASE="http://127.0.0.1:${PORT}"

for tool in wrk psql redis-cli; do
  command -v "$tool" >/dev/null || { echo "bench: needs $tool (apt-get install wrk postgresql-client redis-tools)" >&2; exit 2; }
done
[[ -x $PY ]] || { echo "bench: run 'make .venv/.dev' first" >&2; exit 2; }

WORK="$(mktemp -d /tmp/nspm-bench.XXXXXX)"
GUNICORN_PID=""
stop_gunicorn() {
  if [[ -n $GUNICORN_PID ]] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill -TERM "$GUNICORN_PID"
    # gunicorn lets requests in flight finish (GUNICORN_GRACEFUL_TIMEOUT, 20 s)
    for _ in $(seq 150); do kill -0 "$GUNICORN_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$GUNICORN_PID" 2>/dev/null || true
  fi
  GUNICORN_PID=""
}
cleanup() {
  stop_gunicorn
  if [[ -s $WORK/gunicorn.log ]] && grep -q '"level": "ERROR"' "$WORK/gunicorn.log"; then
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
export GUNICORN_BIND="127.0.0.1:${PORT}"

echo "==> database ${DATABASE_URL##*/} (re-created), cache ${CACHE_URL} (flushed)"
DB_NAME="${DATABASE_URL##*/}"
ADMIN_URL="${DATABASE_URL%/*}/postgres"
psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" -c "CREATE DATABASE \"$DB_NAME\""
flush_cache() { [[ ${BENCH_FLUSH:-1} == 0 ]] || redis-cli -u "$CACHE_URL" flushdb >/dev/null; }
flush_cache
$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0

start_gunicorn() {
  .venv/bin/gunicorn -c gunicorn.conf.py >"$WORK/gunicorn.log" 2>&1 &
  GUNICORN_PID=$!
  for _ in $(seq 100); do
    if curl -fsS -H 'X-Forwarded-Proto: https' "$BASE/healthz" >/dev/null 2>&1; then return 0; fi
    kill -0 "$GUNICORN_PID" 2>/dev/null || break
    sleep 0.2
  done
  echo "bench: gunicorn did not come up; its log:" >&2
  cat "$WORK/gunicorn.log" >&2
  exit 2
}

echo "==> gunicorn on $BASE (workers ${WEB_CONCURRENCY:-2×cores+1}, ${GUNICORN_WORKER_CLASS:-gthread})"
start_gunicorn
# A copy of each page as a static file (same bytes, same type): its yardstick. whitenoise
# reads the static folder when it starts, so restart once the copies are there.
$PY bench/measure.py snapshot "$BASE" "$STATIC_ROOT"
stop_gunicorn
flush_cache
start_gunicorn

status=0
$PY bench/measure.py run "$BASE" "$STATIC_ROOT" "$GUNICORN_PID" "$SECONDS_PER_URL" || status=$?
grep -q '"level": "ERROR"' "$WORK/gunicorn.log" && status=1
exit $status
