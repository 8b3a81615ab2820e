#!/usr/bin/env bash
# Restores a backup made by db-backup.sh into an EMPTY database, in one transaction: either the
# whole backup is restored or nothing is. Refuses a database that already holds tables.
#
#   npm run db:restore -- <backup file> [target database URL, default $DATABASE_URL]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/pg-tool.sh
file="${1:?usage: db-restore.sh <backup file> [target database URL]}"
target="${2:-${DATABASE_URL:-}}"
[[ -n "$target" ]] || { echo "no target: pass a database URL or set DATABASE_URL" >&2; exit 2; }
[[ -r "$file" ]] || { echo "cannot read $file" >&2; exit 2; }
tables="$("$(pg_tool psql)" "$target" -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
if [[ "$tables" != "0" ]]; then
  echo "refusing to restore: the target database already has $tables tables (restore into an empty database)" >&2
  exit 1
fi
"$(pg_tool pg_restore)" --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$target" "$file"
echo "restored $file"
