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

cleanup() {
  local status=$?
  stop_started_services
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

ensure_postgres_admin_url BENCH_DATABASE_ADMIN_URL .data/bench-postgres 54331

ensure_keycloak corporate-os

if [[ "${BENCH_SKIP_BUILD:-false}" != "true" ]]; then
  log "building the API (npm run build)"
  npm run --silent build
fi

# The orchestrator runs in the foreground; it starts and stops the API, the baselines and the
# load driver itself (they are its child processes).
node -r ts-node/register/transpile-only bench/src/main.ts "$@"
