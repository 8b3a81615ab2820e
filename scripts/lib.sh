# Shared helpers of scripts/test.sh and scripts/stack.sh (sourced, not run).

log() { echo "[$(basename "$0" .sh)] $*"; }

# Debian's Chromium renders certificates and drives the browser tests; puppeteer never downloads one.
ensure_chromium() {
  if [[ -n "${PUPPETEER_EXECUTABLE_PATH:-}" && -x "${PUPPETEER_EXECUTABLE_PATH}" ]]; then return; fi
  # The certificate's typefaces are Liberation's (DejaVu is the fallback), as in the image.
  if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null \
    || ! fc-list 2>/dev/null | grep -q 'Liberation Serif'; then
    if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null; then
      log "installing Debian's chromium, poppler-utils and fonts (DejaVu, Liberation: as in the image)"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils fonts-dejavu-core fonts-liberation >/dev/null
    else
      log "chromium and poppler-utils are required: apt-get install chromium poppler-utils fonts-dejavu-core fonts-liberation"
      exit 1
    fi
  fi
  export PUPPETEER_EXECUTABLE_PATH="$(command -v chromium)"
}

# True when a PostgreSQL server answers on host:port.
postgres_answers() {
  node -e '
    const net = require("node:net");
    const s = net.connect({ host: process.argv[1], port: Number(process.argv[2]) });
    s.setTimeout(2000, () => process.exit(1));
    s.on("connect", () => { s.end(); process.exit(0); });
    s.on("error", () => process.exit(1));
  ' "$1" "$2"
}

# Starts embedded PostgreSQL in the background; sets EMBEDDED_PG_PID and EMBEDDED_PG_URL.
start_embedded_postgres() { # $1 data dir, $2 port, $3 database
  local out="$1.log"
  mkdir -p "$(dirname "$1")"
  node scripts/embedded-postgres.mjs "$1" "$2" "$3" >"$out" 2>&1 &
  EMBEDDED_PG_PID=$!
  for _ in $(seq 1 120); do
    if grep -q '^ready ' "$out" 2>/dev/null; then
      EMBEDDED_PG_URL="$(grep '^ready ' "$out" | head -n1 | cut -d' ' -f2)"
      return 0
    fi
    if ! kill -0 "$EMBEDDED_PG_PID" 2>/dev/null; then
      cat "$out" >&2
      log "embedded PostgreSQL failed to start"
      return 1
    fi
    sleep 0.5
  done
  log "embedded PostgreSQL did not become ready"
  return 1
}

keycloak_realm_answers() { # $1 realm
  curl -sf -o /dev/null --max-time 3 "${KEYCLOAK_URL:-http://localhost:8080}/realms/$1/.well-known/openid-configuration"
}

# Exports $1 as the admin URL of a PostgreSQL server: the one on 127.0.0.1:5432 when it answers,
# otherwise an embedded one started under $2 on port $3 (stopped by stop_started_services).
ensure_postgres_admin_url() { # $1 variable name, $2 data dir, $3 port
  [[ -n "${!1:-}" ]] && return 0
  if postgres_answers 127.0.0.1 5432; then
    export "$1=postgres://postgres@127.0.0.1:5432/postgres"
  else
    log "no PostgreSQL on 127.0.0.1:5432; starting an embedded one"
    start_embedded_postgres "$2" "$3" postgres
    export "$1=$EMBEDDED_PG_URL"
  fi
}

# Starts Keycloak unless every named realm already answers; remembers whether it did.
STARTED_KEYCLOAK=false
ensure_keycloak() { # realm names
  export KEYCLOAK_URL="${KEYCLOAK_URL:-http://localhost:8080}"
  local realm
  for realm in "$@"; do keycloak_realm_answers "$realm" || STARTED_KEYCLOAK=true; done
  bash keycloak/start.sh
}

# Stops what this script started: the embedded PostgreSQL and Keycloak.
stop_started_services() {
  if [[ -n "${EMBEDDED_PG_PID:-}" ]]; then kill "$EMBEDDED_PG_PID" 2>/dev/null || true; wait "$EMBEDDED_PG_PID" 2>/dev/null || true; fi
  if $STARTED_KEYCLOAK; then bash keycloak/stop.sh >/dev/null || true; fi
}
