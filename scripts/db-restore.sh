#!/usr/bin/env bash
# Restores a backup made by db-backup.sh into an EMPTY database, in one transaction: either the
# whole backup is restored or nothing is. Refuses a database that already holds tables. Runs as the
# role that will own the schema; the grants to the API's group role come back with the backup
# (the role is created first if this server has never had it). Then `npm run db:migrate` applies
# newer migrations and (re)creates the API's login role.
#
#   npm run db:restore -- <backup file> [target URL, default $DATABASE_MIGRATION_URL or $DATABASE_URL]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/pg-tool.sh
file="${1:?usage: db-restore.sh <backup file> [target database URL]}"
target="${2:-${DATABASE_MIGRATION_URL:-${DATABASE_URL:-}}}"
[[ -n "$target" ]] || { echo "no target: pass a database URL or set DATABASE_URL" >&2; exit 2; }
[[ -r "$file" ]] || { echo "cannot read $file" >&2; exit 2; }
tables="$("$(pg_tool psql)" "$target" -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
if [[ "$tables" != "0" ]]; then
  echo "refusing to restore: the target database already has $tables tables (restore into an empty database)" >&2
  exit 1
fi
# The same statement as the migration that introduced the role (roles belong to the server).
"$(pg_tool psql)" "$target" -qAtc "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'corporate_os_app') THEN
    CREATE ROLE corporate_os_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object THEN NULL;
END \$\$"
"$(pg_tool pg_restore)" --no-owner --exit-on-error --single-transaction --dbname="$target" "$file"
echo "restored $file"
