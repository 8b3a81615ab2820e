#!/usr/bin/env bash
# Runs the service with its dependencies: Keycloak with the realm, PostgreSQL (DATABASE_URL when
# set, otherwise an embedded one under .data/), migrations as the schema owner
# (DATABASE_MIGRATION_URL), and the API on $PORT (default 3000) as its own least-privileged role.
# Ctrl-C stops the API and whatever this script started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

[[ -d node_modules ]] || npm ci

cleanup() { stop_started_services; }
trap cleanup EXIT

ensure_chromium

if [[ -z "${DATABASE_URL:-}" ]]; then
  log "DATABASE_URL not set: starting embedded PostgreSQL (data in .data/postgres)"
  start_embedded_postgres .data/postgres "${EMBEDDED_PG_PORT:-54329}" corporate_os
  # Migrations run as the embedded server's owner; the API gets a login role of its own, with a
  # password made once and kept (git-ignored) beside the data.
  export DATABASE_MIGRATION_URL="$EMBEDDED_PG_URL"
  [[ -s .data/api-db-password ]] || node -e 'process.stdout.write(require("crypto").randomBytes(18).toString("base64url"))' > .data/api-db-password
  export DATABASE_URL="$(node -e 'const u = new URL(process.argv[1]); u.username = "corporate_os_api"; u.password = process.argv[2]; console.log(u.toString())' "$EMBEDDED_PG_URL" "$(cat .data/api-db-password)")"
fi

ensure_keycloak corporate-os

export OIDC_ISSUER_URL="${OIDC_ISSUER_URL:-$KEYCLOAK_URL/realms/corporate-os}"
export SEED_DEMO_DATA="${SEED_DEMO_DATA:-true}"
if [[ -z "${ENCRYPTION_KEYS:-}" ]]; then
  # A development key ring, made once and kept (git-ignored) so encrypted data stays readable.
  mkdir -p .data
  [[ -s .data/encryption-keys ]] || echo "dev:$(node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("base64"))')" > .data/encryption-keys
  export ENCRYPTION_KEYS="$(cat .data/encryption-keys)"
fi
if [[ -z "${AUDIT_CHECKPOINT_SIGNING_KEY:-}" && -z "${AUDIT_CHECKPOINT_SIGNING_KEY_FILE:-}" ]]; then
  # A development key that signs the audit checkpoints, made once and kept (git-ignored) so that
  # checkpoints made before a restart still verify. The API reads the file; the key stays out of
  # the environment.
  mkdir -p .data
  [[ -s .data/audit-checkpoint-key.pem ]] || (umask 077 && node -e 'process.stdout.write(require("crypto").generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }))' > .data/audit-checkpoint-key.pem)
  export AUDIT_CHECKPOINT_SIGNING_KEY_FILE="$PWD/.data/audit-checkpoint-key.pem"
fi

log "building"
npm run --silent build
if [[ -n "${DATABASE_MIGRATION_URL:-}" ]]; then
  log "migrating as the schema owner and provisioning the API's database role"
  node dist/src/cli/migrate.js
  log "starting the API on port ${PORT:-3000} as its own least-privileged role"
  # In the background so that Ctrl-C / SIGTERM reach it and the cleanup runs after it has stopped.
  env -u DATABASE_MIGRATION_URL DB_MIGRATE_ON_START=false node dist/src/main.js &
else
  log "starting the API on port ${PORT:-3000} (migrations run on start with DATABASE_URL)"
  node dist/src/main.js &
fi
api_pid=$!
trap 'kill -TERM "$api_pid" 2>/dev/null || true' INT TERM
wait "$api_pid" || true
wait "$api_pid" 2>/dev/null || true
