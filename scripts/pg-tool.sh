# Picks the newest installed PostgreSQL client tool ($1: pg_dump, pg_restore, psql): pg_dump refuses
# servers newer than itself, and Debian may have several major versions side by side. Sourced.
pg_tool() {
  local newest
  newest="$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$newest" ]]; then echo "$newest"; else command -v "$1"; fi
}
