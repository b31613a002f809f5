#!/usr/bin/env bash
# Writes the test environment's certificates into DIR with openssl: a cluster
# CA, the API server's serving certificate (127.0.0.1), client certificates for
# admin (system:masters), the controller manager, and the RBAC-limited user, a
# separate front-proxy CA for the aggregation layer, and the service-account
# key pair. Throwaway keys for a loopback-only cluster.
set -euo pipefail
d=$1; mkdir -p "$d"; cd "$d"
q() { openssl "$@" 2>/dev/null; }

ca() { # NAME CN
  q req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.crt" -days 3650 -subj "/CN=$2"
}
# cert NAME SUBJECT CA [SAN]
cert() {
  q req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2"
  local ext; ext=$(mktemp)
  if [ -n "${4:-}" ]; then
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$4" > "$ext"
  else
    printf 'extendedKeyUsage=clientAuth\n' > "$ext"
  fi
  q x509 -req -in "$1.csr" -CA "$3.crt" -CAkey "$3.key" -CAcreateserial -out "$1.crt" -days 3650 -extfile "$ext"
  rm -f "$1.csr" "$ext"
}

ca ca personapack-testenv-ca
ca front-proxy-ca personapack-testenv-front-proxy-ca
cert apiserver "/CN=kube-apiserver" ca "IP:127.0.0.1,DNS:localhost"
cert admin "/O=system:masters/CN=admin" ca
cert controller-manager "/CN=system:kube-controller-manager" ca
cert limited "/CN=limited" ca
cert front-proxy-client "/CN=front-proxy-client" front-proxy-ca
q genrsa -out sa.key 2048
q rsa -in sa.key -pubout -out sa.pub
echo "$d"
