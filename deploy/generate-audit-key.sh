#!/usr/bin/env bash
# Generates the Ed25519 key that signs the audit chain's checkpoints, for docker-compose.yml.
#
#   deploy/generate-audit-key.sh [OUT_FILE]
#
# OUT_FILE defaults to deploy/secrets/audit-checkpoint-key.pem (git-ignored), which the compose file
# mounts into the API as the secret audit_checkpoint_signing_key (AUDIT_CHECKPOINT_SIGNING_KEY_FILE).
# The key is a PKCS#8 PEM, mode 600. An existing file is never replaced: checkpoints signed with a
# key verify only with its public key. The API container reads the file as user node (uid 1000), so
# when run as root the file is given to that uid (API_UID to choose another).
set -euo pipefail

case "${1:-}" in
  -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
esac
out="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/secrets/audit-checkpoint-key.pem}"

command -v openssl >/dev/null || { echo "openssl is required (apt-get install openssl)" >&2; exit 1; }

if [[ -e "$out" ]]; then
  echo "keeping the existing audit checkpoint key $out (it is never replaced)"
  exit 0
fi

mkdir -p "$(dirname "$out")"
umask 077
tmp="$(mktemp "$out.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
openssl genpkey -algorithm ed25519 -out "$tmp" 2>/dev/null
chmod 600 "$tmp"
if [[ "$(id -u)" == 0 ]]; then chown "${API_UID:-1000}" "$tmp"; fi
# A hard link is created only where no file exists, so a key made meanwhile is kept as well.
ln "$tmp" "$out"

echo "wrote $out (Ed25519, mode 600); its public key: openssl pkey -in $out -pubout"
