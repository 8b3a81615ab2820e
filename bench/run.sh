#!/usr/bin/env bash
# npm run bench [-- --smoke | --help]: the service measured against the limits of this machine.
# Like scripts/test.sh it starts what it needs (PostgreSQL when none answers on 127.0.0.1:5432,
# Keycloak when its realm does not answer) and stops what it started. See bench/README.md.
#
#   BENCH_DATABASE_ADMIN_URL  a PostgreSQL server to create the bench database on
#                             (default: the server on 127.0.0.1:5432 if one answers, else an embedded one)
#   BENCH_SKIP_BUILD=true     reuse dist/ instead of running `npm run build` first
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

[[ -d node_modules ]] || npm ci

started_keycloak=false
cleanup() {
  local status=$?
  if [[ -n "${EMBEDDED_PG_PID:-}" ]]; then kill "$EMBEDDED_PG_PID" 2>/dev/null || true; wait "$EMBEDDED_PG_PID" 2>/dev/null || true; fi
  if $started_keycloak; then bash keycloak/stop.sh >/dev/null || true; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for arg in "$@"; do
  if [[ "$arg" == "--help" || "$arg" == "-h" ]]; then
    exec node -r ts-node/register/transpile-only bench/src/main.ts --help
  fi
done

ensure_chromium

if [[ -z "${BENCH_DATABASE_ADMIN_URL:-}" ]]; then
  if postgres_answers 127.0.0.1 5432; then
    export BENCH_DATABASE_ADMIN_URL="postgres://postgres@127.0.0.1:5432/postgres"
  else
    log "no PostgreSQL on 127.0.0.1:5432; starting an embedded one"
    start_embedded_postgres .data/bench-postgres 54331 postgres
    export BENCH_DATABASE_ADMIN_URL="$EMBEDDED_PG_URL"
  fi
fi

export KEYCLOAK_URL="${KEYCLOAK_URL:-http://localhost:8080}"
keycloak_realm_answers corporate-os || started_keycloak=true
bash keycloak/start.sh

if [[ "${BENCH_SKIP_BUILD:-false}" != "true" ]]; then
  log "building the API (npm run build)"
  npm run --silent build
fi

# The orchestrator runs in the foreground; it starts and stops the API, the baselines and the
# load driver itself (they are its child processes).
node -r ts-node/register/transpile-only bench/src/main.ts "$@"
