#!/usr/bin/env bash
# The whole test suite (unit, e2e and browser) against real PostgreSQL and a real Keycloak.
# Starts what it needs and stops what it started.
#
#   TEST_DATABASE_ADMIN_URL  a PostgreSQL server to create the test database on
#                            (default: the server on 127.0.0.1:5432 if one answers, else an embedded one)
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
trap cleanup EXIT INT TERM

ensure_chromium

if [[ -z "${TEST_DATABASE_ADMIN_URL:-}" ]]; then
  if postgres_answers 127.0.0.1 5432; then
    export TEST_DATABASE_ADMIN_URL="postgres://postgres@127.0.0.1:5432/postgres"
  else
    log "no PostgreSQL on 127.0.0.1:5432; starting an embedded one"
    start_embedded_postgres .data/test-postgres 54330 postgres
    export TEST_DATABASE_ADMIN_URL="$EMBEDDED_PG_URL"
  fi
fi
log "PostgreSQL for tests: $(sed -E 's#//[^@/]*@#//***@#' <<<"$TEST_DATABASE_ADMIN_URL")"

export KEYCLOAK_URL="${KEYCLOAK_URL:-http://localhost:8080}"
if ! keycloak_realm_answers corporate-os || ! keycloak_realm_answers corporate-os-other; then
  started_keycloak=true
fi
KEYCLOAK_EXTRA_REALMS_DIR=test/keycloak bash keycloak/start.sh

npx jest --selectProjects unit --ci
npx jest --selectProjects e2e --ci --runInBand
