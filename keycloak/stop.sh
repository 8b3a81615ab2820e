#!/usr/bin/env bash
# Stop the Keycloak started by keycloak/start.sh on $KEYCLOAK_PORT (pid file). No-op if not running.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
KC_PORT="${KEYCLOAK_PORT:-8080}"
CACHE_DIR="${KEYCLOAK_CACHE_DIR:-$REPO_ROOT/.cache/keycloak}"
PID_FILE="$CACHE_DIR/keycloak-$KC_PORT.pid"

log() { echo "[keycloak] $*"; }

if [[ ! -f "$PID_FILE" ]]; then
  log "not running (no pid file $PID_FILE)"
  exit 0
fi
PID="$(cat "$PID_FILE" 2>/dev/null || true)"
if ! [[ "$PID" =~ ^[0-9]+$ ]]; then
  log "invalid pid file, removing it"
  rm -f "$PID_FILE"
  exit 0
fi

# start.sh runs kc.sh under setsid, so PID is also the process group id.
group_alive() { kill -0 -- "-$PID" 2>/dev/null || kill -0 "$PID" 2>/dev/null; }

if ! group_alive; then
  log "not running (stale pid $PID)"
  rm -f "$PID_FILE"
  exit 0
fi

log "stopping Keycloak (process group $PID)"
kill -TERM -- "-$PID" 2>/dev/null || kill -TERM "$PID" 2>/dev/null || true
for _ in $(seq 1 60); do
  group_alive || break
  sleep 0.5
done
if group_alive; then
  log "still alive after 30s, sending SIGKILL"
  kill -KILL -- "-$PID" 2>/dev/null || kill -KILL "$PID" 2>/dev/null || true
  for _ in $(seq 1 20); do group_alive || break; sleep 0.5; done
fi
rm -f "$PID_FILE"
log "stopped"
