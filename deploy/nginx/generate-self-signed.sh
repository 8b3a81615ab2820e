#!/usr/bin/env bash
# Generates a development TLS certificate for the compose proxy, signed by a throw-away local CA.
#
#   deploy/nginx/generate-self-signed.sh [OUT_DIR] [--force]
#
# OUT_DIR defaults to deploy/certs (git-ignored). Writes:
#   OUT_DIR/cert.pem        server certificate (SAN: $PUBLIC_HOST, localhost, 127.0.0.1, ::1), for nginx
#   OUT_DIR/key.pem         its private key (mode 600), for nginx
#   OUT_DIR/trust/ca.pem    the CA certificate: the API container trusts it (NODE_EXTRA_CA_CERTS),
#                           and you may import it into a browser or pass it to curl --cacert
# The CA's private key is deleted once the server certificate is signed, so it cannot sign anything else.
# An existing cert.pem + key.pem pair (for example a real certificate you put there) is kept unless --force.
set -euo pipefail

out_dir=""
force=false
for arg in "$@"; do
  case "$arg" in
    --force) force=true ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    *) out_dir="$arg" ;;
  esac
done
out_dir="${out_dir:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/certs}"
host="${PUBLIC_HOST:-localhost}"

command -v openssl >/dev/null || { echo "openssl is required (apt-get install openssl)" >&2; exit 1; }

if [[ -s "$out_dir/cert.pem" && -s "$out_dir/key.pem" ]] && ! $force; then
  echo "keeping the existing certificate in $out_dir (use --force to replace it)"
  exit 0
fi

mkdir -p "$out_dir/trust"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
umask 077

san="DNS:${host},DNS:localhost,IP:127.0.0.1,IP:::1"
[[ "$host" == localhost ]] && san="DNS:localhost,IP:127.0.0.1,IP:::1"

openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days 825 \
  -keyout "$work/ca.key" -out "$work/ca.pem" \
  -subj "/CN=Corporate OS development CA $(date -u +%Y%m%dT%H%M%SZ)" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

openssl req -new -newkey rsa:2048 -nodes -sha256 \
  -keyout "$work/key.pem" -out "$work/server.csr" -subj "/CN=${host}" 2>/dev/null

cat >"$work/server.ext" <<EOF
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = ${san}
EOF

# 397 days: the longest validity browsers accept for a server certificate.
openssl x509 -req -sha256 -days 397 -in "$work/server.csr" \
  -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -CAserial "$work/ca.srl" \
  -extfile "$work/server.ext" -out "$work/cert.pem" 2>/dev/null

openssl verify -CAfile "$work/ca.pem" "$work/cert.pem" >/dev/null

install -m 600 "$work/key.pem" "$out_dir/key.pem"
install -m 644 "$work/cert.pem" "$out_dir/cert.pem"
install -m 644 "$work/ca.pem" "$out_dir/trust/ca.pem"
chmod 755 "$out_dir/trust"

echo "wrote $out_dir/cert.pem, $out_dir/key.pem and $out_dir/trust/ca.pem (SAN ${san})"
