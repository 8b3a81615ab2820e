#!/usr/bin/env bash
# Start a local dev Keycloak with the Corporate OS realm(s) imported.
# Idempotent: exits 0 immediately if the realm(s) already answer on $KEYCLOAK_PORT.
#
# Env:
#   KEYCLOAK_VERSION          (default 26.7.3)
#   KEYCLOAK_PORT             (default 8080)
#   KEYCLOAK_CACHE_DIR        (default <repo>/.cache/keycloak)
#   KEYCLOAK_EXTRA_REALMS_DIR (optional; every *.json there is imported too, e.g. test/keycloak)
#   KEYCLOAK_START_TIMEOUT    (default 240 seconds)
#   KC_BOOTSTRAP_ADMIN_USERNAME / KC_BOOTSTRAP_ADMIN_PASSWORD (master console, default kcadmin/kcadmin)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

KC_VERSION="${KEYCLOAK_VERSION:-26.7.3}"
KC_PORT="${KEYCLOAK_PORT:-8080}"
CACHE_DIR="${KEYCLOAK_CACHE_DIR:-$REPO_ROOT/.cache/keycloak}"
EXTRA_DIR="${KEYCLOAK_EXTRA_REALMS_DIR:-}"
TIMEOUT="${KEYCLOAK_START_TIMEOUT:-240}"
MAIN_REALM="corporate-os"

log() { echo "[keycloak] $*"; }
die() { echo "[keycloak] ERROR: $*" >&2; exit 1; }

command -v curl >/dev/null || die "curl is required"

# Relative KEYCLOAK_EXTRA_REALMS_DIR is resolved against the current directory, then the repo root.
if [[ -n "$EXTRA_DIR" ]]; then
  if [[ -d "$EXTRA_DIR" ]]; then
    EXTRA_DIR="$(cd "$EXTRA_DIR" && pwd)"
  elif [[ "$EXTRA_DIR" != /* && -d "$REPO_ROOT/$EXTRA_DIR" ]]; then
    EXTRA_DIR="$(cd "$REPO_ROOT/$EXTRA_DIR" && pwd)"
  else
    die "KEYCLOAK_EXTRA_REALMS_DIR=$EXTRA_DIR is not a directory"
  fi
fi

mkdir -p "$CACHE_DIR"
CACHE_DIR="$(cd "$CACHE_DIR" && pwd)"
PID_FILE="$CACHE_DIR/keycloak-$KC_PORT.pid"
LOG_FILE="$CACHE_DIR/keycloak-$KC_PORT.log"
KC_HOME="$CACHE_DIR/keycloak-$KC_VERSION"
BASE_URL="http://localhost:$KC_PORT"

# Serialise concurrent start.sh runs on this cache dir (the distribution/data dir is shared).
if command -v flock >/dev/null; then
  exec 9>"$CACHE_DIR/.start.lock"
  flock -w "$TIMEOUT" 9 || die "timed out waiting for another start.sh (lock $CACHE_DIR/.start.lock)"
fi

realm_name_of() { # $1 = realm json file
  if command -v jq >/dev/null; then
    jq -r '.realm // empty' "$1"
  elif command -v node >/dev/null; then
    node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).realm; if(r) console.log(r)' "$1"
  else
    sed -n 's/^[[:space:]]*"realm"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$1" | head -n1
  fi
}

realm_files=("$SCRIPT_DIR"/*.json)
if [[ -n "$EXTRA_DIR" ]]; then
  shopt -s nullglob
  realm_files+=("$EXTRA_DIR"/*.json)
  shopt -u nullglob
fi
required_realms=()
for f in "${realm_files[@]}"; do
  name="$(realm_name_of "$f")"
  [[ -n "$name" ]] || die "$f has no \"realm\" field"
  required_realms+=("$name")
done

realm_up() { # $1 = realm name
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
    "$BASE_URL/realms/$1/.well-known/openid-configuration" 2>/dev/null || true)" == "200" ]]
}
missing_realms() {
  local r out=()
  for r in "${required_realms[@]}"; do realm_up "$r" || out+=("$r"); done
  echo "${out[*]:-}"
}
our_pid() { # prints pid of the Keycloak started by this script on this port, if alive
  [[ -f "$PID_FILE" ]] || return 1
  local p; p="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$p" =~ ^[0-9]+$ ]] && kill -0 "$p" 2>/dev/null && echo "$p"
}

# ---------------------------------------------------------------- already running?
if realm_up "$MAIN_REALM"; then
  missing="$(missing_realms)"
  if [[ -z "$missing" ]]; then
    log "already running on $BASE_URL (realms: ${required_realms[*]})"
    exit 0
  fi
  if our_pid >/dev/null; then
    log "running on $BASE_URL but realm(s) missing: $missing -> restarting with the requested realms"
    KEYCLOAK_PORT="$KC_PORT" KEYCLOAK_CACHE_DIR="$CACHE_DIR" "$SCRIPT_DIR/stop.sh"
  else
    die "a Keycloak not started by this script answers on port $KC_PORT but lacks realm(s): $missing. Stop it or use another KEYCLOAK_PORT."
  fi
elif p="$(our_pid)"; then
  # Our process is alive but the realm does not answer (yet): probably still starting; wait for it below.
  log "Keycloak (pid $p) is starting; waiting for it"
fi

# ---------------------------------------------------------------- JDK (21 or 25)
java_major() { # $1 = java binary
  local v
  v="$("$1" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)" || return 1
  [[ -n "$v" ]] || return 1
  v="${v#1.}"
  echo "${v%%[.+-]*}"
}
supported_major() { [[ "$1" == "25" || "$1" == "21" ]]; }

pick_java_home() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    local m; m="$(java_major "$JAVA_HOME/bin/java" || true)"
    if supported_major "$m"; then echo "$JAVA_HOME"; return 0; fi
  fi
  local best="" best_major=0 d m
  for d in /usr/lib/jvm/*; do
    [[ -x "$d/bin/java" ]] || continue
    m="$(java_major "$d/bin/java" || true)"
    supported_major "$m" || continue
    if (( m > best_major )); then best="$d"; best_major="$m"; fi
  done
  [[ -n "$best" ]] || return 1
  echo "$best"
}

# ---------------------------------------------------------------- start (unless our process is already starting)
if ! our_pid >/dev/null; then
  # All ports share one distribution (data/h2, data/import) per cache dir: refuse to wipe it under a live instance.
  for other in "$CACHE_DIR"/keycloak-*.pid; do
    [[ -f "$other" && "$other" != "$PID_FILE" ]] || continue
    op="$(cat "$other" 2>/dev/null || true)"
    if [[ "$op" =~ ^[0-9]+$ ]] && kill -0 "$op" 2>/dev/null; then
      die "another Keycloak from $CACHE_DIR is running (pid $op, $(basename "$other" .pid)). Stop it (KEYCLOAK_PORT=... keycloak/stop.sh) or use a different KEYCLOAK_CACHE_DIR."
    fi
  done

  JAVA_HOME_KC="$(pick_java_home)" || die "no supported JDK found (Keycloak $KC_VERSION needs Java 21 or 25). Set JAVA_HOME to a JDK 21/25 or install one under /usr/lib/jvm."
  log "using JDK $JAVA_HOME_KC (java $(java_major "$JAVA_HOME_KC/bin/java"))"

  # Fetch + unpack the distribution (one folder per version) unless cached.
  if [[ ! -x "$KC_HOME/bin/kc.sh" ]]; then
    ZIP="$CACHE_DIR/keycloak-quarkus-dist-$KC_VERSION.zip"
    if [[ ! -s "$ZIP" ]]; then
      command -v mvn >/dev/null || die "mvn is required to download Keycloak $KC_VERSION"
      log "downloading org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip via Maven"
      # Run from the cache dir so a pom.xml in the caller's cwd is not picked up.
      (cd "$CACHE_DIR" && mvn -q -B -Dstyle.color=never dependency:copy \
        -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" \
        -DoutputDirectory="$CACHE_DIR") || die "Maven download of Keycloak $KC_VERSION failed"
      [[ -s "$ZIP" ]] || die "Maven did not produce $ZIP"
    fi
    command -v unzip >/dev/null || die "unzip is required"
    log "unpacking $ZIP"
    TMP_UNPACK="$(mktemp -d "$CACHE_DIR/.unpack.XXXXXX")"
    unzip -q "$ZIP" -d "$TMP_UNPACK" || { rm -rf "$TMP_UNPACK"; die "unzip failed (corrupt $ZIP? delete it and retry)"; }
    [[ -x "$TMP_UNPACK/keycloak-$KC_VERSION/bin/kc.sh" ]] || { rm -rf "$TMP_UNPACK"; die "unexpected layout in $ZIP"; }
    rm -rf "$KC_HOME"
    mv "$TMP_UNPACK/keycloak-$KC_VERSION" "$KC_HOME"
    rm -rf "$TMP_UNPACK"
  fi

  # Fresh dev database so the realm files are authoritative; fresh import dir.
  rm -rf "$KC_HOME/data/h2" "$KC_HOME/data/transaction-logs" "$KC_HOME/data/tmp" "$KC_HOME/data/import"
  mkdir -p "$KC_HOME/data/import"
  cp "${realm_files[@]}" "$KC_HOME/data/import/"
  log "realm files: $(cd "$KC_HOME/data/import" && echo *.json)"

  log "starting Keycloak $KC_VERSION on $BASE_URL (log: $LOG_FILE)"
  : > "$LOG_FILE"
  # setsid: own session/process group so stop.sh can signal kc.sh and its java child together.
  # The inner shell writes its own pid (= process group id) before exec'ing kc.sh.
  JAVA_HOME="$JAVA_HOME_KC" \
  KC_BOOTSTRAP_ADMIN_USERNAME="${KC_BOOTSTRAP_ADMIN_USERNAME:-kcadmin}" \
  KC_BOOTSTRAP_ADMIN_PASSWORD="${KC_BOOTSTRAP_ADMIN_PASSWORD:-kcadmin}" \
  KC_LOG_CONSOLE_COLOR=false \
  nohup setsid bash -c 'echo $$ > "$1"; shift; exec "$@"' _ "$PID_FILE" \
    "$KC_HOME/bin/kc.sh" start-dev \
      --import-realm \
      --http-port="$KC_PORT" \
      --hostname="$BASE_URL" \
    </dev/null >>"$LOG_FILE" 2>&1 9>&- &
  # Wait for the pid file to be written.
  for _ in $(seq 1 50); do [[ -s "$PID_FILE" ]] && break; sleep 0.1; done
fi

# ---------------------------------------------------------------- wait until ready
START_TS=$(date +%s)
while :; do
  if [[ -z "$(missing_realms)" ]]; then
    log "ready on $BASE_URL after $(( $(date +%s) - START_TS ))s (realms: ${required_realms[*]}; pid $(cat "$PID_FILE" 2>/dev/null || echo '?'))"
    exit 0
  fi
  if ! our_pid >/dev/null; then
    echo "[keycloak] ERROR: Keycloak exited during startup. Last 50 log lines ($LOG_FILE):" >&2
    tail -n 50 "$LOG_FILE" >&2 || true
    rm -f "$PID_FILE"
    exit 1
  fi
  if (( $(date +%s) - START_TS >= TIMEOUT )); then
    echo "[keycloak] ERROR: Keycloak not ready after ${TIMEOUT}s (missing: $(missing_realms)). Last 50 log lines ($LOG_FILE):" >&2
    tail -n 50 "$LOG_FILE" >&2 || true
    exit 1
  fi
  sleep 2
done
