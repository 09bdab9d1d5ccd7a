#!/usr/bin/env bash
# A self-signed certificate for development: writes cert.pem and key.pem into DIR (default: the current directory)
# for --tls-cert DIR/cert.pem --tls-key DIR/key.pem. Valid for localhost and 127.0.0.1 for 30 days; clients must be
# told to trust cert.pem (or to skip verification), as with any self-signed certificate.
set -euo pipefail
dir="${1:-.}"
mkdir -p "$dir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
  -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" 2> /dev/null
echo "$dir/cert.pem $dir/key.pem"
