#!/usr/bin/env bash
# Validates the deployment files without a Docker engine; exits non-zero on any failure.
#
#   bash scripts/check-deploy.sh
#
#   1. docker-compose.yml: `docker compose config -q` where the Compose v2 plugin exists, otherwise
#      Debian's `docker-compose config -q` (1.29); with the file's own defaults only.
#   2. deploy/nginx/*.conf: `nginx -t` on temp copies that differ only in file paths (certificate
#      dir, pid file; plus `load_module` where the local nginx builds the stream module as a dynamic
#      module), with a throw-away certificate from deploy/nginx/generate-self-signed.sh.
#   3. Dockerfile: `dockerfile-utils lint` (the linter of the Docker language server); its warnings
#      fail too. Hadolint would be the fuller linter, but neither Debian nor npm ships it.
#   4. scripts/deploy-rules.ts: the few design rules no validator knows (pinned images, one issuer
#      URL, secrets only as dev-only defaults or mounted secret files, no private key in the compose
#      file, Keycloak on its own PostgreSQL, non-root image, ...).
# Installs Debian's docker-compose, nginx and libnginx-mod-stream when missing and running as root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

case "${1:-}" in
  "") ;;
  -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
  *) echo "unknown argument: $1" >&2; exit 2 ;;
esac

failed=0
ok() { echo "  ok    $*"; }
bad() { failed=$((failed + 1)); echo "  FAIL  $*"; }
TMP="$(mktemp -d)"
policy="" # a policy-rc.d this script created
trap 'rm -rf "$TMP" $policy' EXIT

# --- tools -------------------------------------------------------------------------------------
if docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
stream_module=/usr/lib/nginx/modules/ngx_stream_module.so
need=()
command -v "${compose[0]}" >/dev/null || need+=(docker-compose)
if [[ ! -x "$NGINX" ]]; then
  need+=(nginx libnginx-mod-stream) # Debian builds the stream module as a dynamic module
elif "$NGINX" -V 2>&1 | grep -q -- '--with-stream=dynamic' && [[ ! -f "$stream_module" ]]; then
  need+=(libnginx-mod-stream)
fi
command -v openssl >/dev/null || need+=(openssl)
if ((${#need[@]})); then
  if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
    echo "missing: ${need[*]}; run as root or: apt-get install ${need[*]}" >&2
    exit 1
  fi
  echo "installing Debian's ${need[*]}"
  # Never let the package start a system nginx.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    policy=/usr/sbin/policy-rc.d && printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" \
    >"$TMP/apt.log" 2>&1 || { cat "$TMP/apt.log" >&2; exit 1; }
fi
[[ -d node_modules ]] || npm ci
echo "  $("${compose[@]}" version --short 2>/dev/null | sed "s/^/${compose[*]} /"), $("$NGINX" -v 2>&1)"

# --- 1. compose --------------------------------------------------------------------------------
if env -i PATH="$PATH" HOME="$HOME" "${compose[@]}" -f docker-compose.yml config -q 2>"$TMP/compose.err"; then
  ok "docker-compose.yml: ${compose[*]} config -q"
else
  bad "docker-compose.yml: ${compose[*]} config -q: $(cat "$TMP/compose.err")"
fi

# --- 2. nginx ----------------------------------------------------------------------------------
bash deploy/nginx/generate-self-signed.sh "$TMP/certs" >/dev/null 2>"$TMP/certs.err" \
  || bad "deploy/nginx/generate-self-signed.sh: $(cat "$TMP/certs.err")"
for conf in deploy/nginx/*.conf; do
  copy="$TMP/$(basename "$conf")"
  load="" # prefixed to line 1, so that nginx reports the line numbers of $conf
  if grep -q '^stream ' "$conf" && [[ -f "$stream_module" ]]; then load="load_module $stream_module; "; fi
  sed -e "1s#^#$load#" -e "s#/etc/nginx/certs/#$TMP/certs/#g" -e "s#^pid .*#pid $copy.pid;#" "$conf" >"$copy"
  if "$NGINX" -t -q -c "$copy" -p "$TMP/" >"$copy.out" 2>&1; then
    ok "$conf: nginx -t"
  else
    bad "$conf: nginx -t: $(sed "s#$copy#$conf#g" "$copy.out")"
  fi
done

# --- 3. Dockerfile -----------------------------------------------------------------------------
if out="$(node_modules/.bin/dockerfile-utils lint Dockerfile 2>&1)" && [[ -z "$out" ]]; then
  ok "Dockerfile: dockerfile-utils lint"
else
  bad "Dockerfile: dockerfile-utils lint:"$'\n'"$out"
fi

# --- 4. design rules ---------------------------------------------------------------------------
node -r ts-node/register/transpile-only scripts/deploy-rules.ts || failed=$((failed + 1))

echo
if ((failed)); then echo "check-deploy: FAILED (see FAIL above)"; exit 1; fi
echo "check-deploy: all passed (not run here: image build and containers, which need a Docker engine)"
