#!/usr/bin/env bash
# Backs up the database in pg_dump's custom format (compressed, restorable with pg_restore, table
# by table if need be), with its grants to the API's group role. Runs as the schema owner
# (DATABASE_MIGRATION_URL; DATABASE_URL when that is unset).
#
#   DATABASE_MIGRATION_URL=postgres://owner@... npm run db:backup [-- <output file>]
#   default output: backups/corporate-os-<UTC timestamp>.dump (git-ignored)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/pg-tool.sh
source="${DATABASE_MIGRATION_URL:-${DATABASE_URL:-}}"
[[ -n "$source" ]] || { echo "set DATABASE_MIGRATION_URL (the schema owner) to the database to back up" >&2; exit 2; }
out="${1:-backups/corporate-os-$(date -u +%Y%m%dT%H%M%SZ).dump}"
mkdir -p "$(dirname "$out")"
"$(pg_tool pg_dump)" --format=custom --no-owner --file="$out" "$source"
echo "$out"
