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

cleanup() {
  local status=$?
  stop_started_services
  exit "$status"
}
trap cleanup EXIT INT TERM

ensure_chromium

ensure_postgres_admin_url TEST_DATABASE_ADMIN_URL .data/test-postgres 54330
log "PostgreSQL for tests: $(sed -E 's#//[^@/]*@#//***@#' <<<"$TEST_DATABASE_ADMIN_URL")"

KEYCLOAK_EXTRA_REALMS_DIR=test/keycloak ensure_keycloak corporate-os corporate-os-other

npx jest --selectProjects unit --ci
# The typed client of test/e2e/openapi-client.e2e-spec.ts, from the current code (no server needed).
npm run --silent openapi:client
npx jest --selectProjects e2e --ci --runInBand
