#!/bin/sh
# Fresh secrets for `docker compose up`, as the .env file compose reads beside docker-compose.yml:
#   sh ops/compose/secrets.sh > .env
# The key the gateway signs subgraph credentials with, and the API key the BFFs present to the
# gateway (the gateway is given only its SHA-256), so their anonymous traffic has its own budget.
set -eu
random() { head -c "$1" /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }
bff_key=$(random 24)
printf 'EDGEWAY_INTERNAL_SIGNING_KEY=%s\n' "$(random 32)"
printf 'EDGEWAY_BFF_API_KEY=%s\n' "$bff_key"
printf 'EDGEWAY_BFF_API_KEY_SHA256=%s\n' "$(printf %s "$bff_key" | sha256sum | cut -d' ' -f1)"
