#!/usr/bin/env bash
# Backs up the database at $DATABASE_URL in pg_dump's custom format (compressed, restorable with
# pg_restore, table by table if need be).
#
#   DATABASE_URL=postgres://... npm run db:backup [-- <output file>]
#   default output: backups/corporate-os-<UTC timestamp>.dump (git-ignored)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/pg-tool.sh
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
out="${1:-backups/corporate-os-$(date -u +%Y%m%dT%H%M%SZ).dump}"
mkdir -p "$(dirname "$out")"
"$(pg_tool pg_dump)" --format=custom --no-owner --no-privileges --file="$out" "$DATABASE_URL"
echo "$out"
