#!/usr/bin/env bash
# Starts the demo: the city identity provider, then the ASGI server. Ctrl-C stops both.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
idp_port=${3:-9000}
cd "$(dirname "$0")/.."
mkdir -p var/idp
idp_log=${IDP_LOG:-var/idp/idp.log}
# The demo runs on the development settings, and says so: DEBUG on, a public
# SECRET_KEY, password login and demo accounts. Never for a real city.
export DJANGO_SETTINGS_MODULE=config.settings.dev
echo "Development settings (config.settings.dev): DEBUG on, public keys, demo passwords."

export OIDC_OP_ISSUER="http://${host}:${idp_port}"
site="http://${host}:${port}"
export WAGTAILADMIN_BASE_URL="$site"
# The demo's city accounts are keyed on the provider's address (issuer), so the
# city is loaded for this one, ports included, before the provider reads the
# accounts file: signing in then finds the demo pupil, not a new empty account.
.venv/bin/python manage.py seed_demo --site-url "$site/"
IDP_PORT=$idp_port IDP_HOST=$host IDP_ISSUER=$OIDC_OP_ISSUER \
IDP_ACCOUNTS_FILE=${IDP_ACCOUNTS_FILE:-var/idp/accounts.json} \
IDP_JWKS_FILE=${IDP_JWKS_FILE:-var/idp/jwks.json} \
IDP_RP_BASE_URLS="http://${host}:${port},http://localhost:${port}" \
  node idp/server.mjs > "$idp_log" 2>&1 &
idp_pid=$!
trap 'kill $idp_pid 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 50); do
  grep -q "listening" "$idp_log" 2>/dev/null && break
  kill -0 $idp_pid 2>/dev/null || { cat "$idp_log"; echo "The city identity provider did not start." >&2; exit 1; }
  sleep 0.2
done

echo
echo "City identity provider: ${OIDC_OP_ISSUER} (log: ${idp_log})"
echo "The platform:           ${site}/   (Ctrl-C stops both)"
echo
# The Web Push sender: queued pushes go out within seconds.
.venv/bin/python manage.py push_send > var/push-send.log 2>&1 &
push_pid=$!
trap 'kill $idp_pid $push_pid 2>/dev/null || true' EXIT INT TERM

# Daphne's runserver: ASGI with websockets, and static files while DEBUG is on.
.venv/bin/python manage.py runserver --noreload "${host}:${port}"
