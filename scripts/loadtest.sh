#!/usr/bin/env bash
# Load test: the app under gunicorn on 127.0.0.1 with 20 concurrent users for 60 s (locust).
# Usage: bash scripts/loadtest.sh   (writes bench-results/loadtest_stats.csv and prints a summary)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${LOAD_PORT:-8765}
OUT=bench-results
DB="$PWD/$OUT/loadtest.sqlite3"
mkdir -p "$OUT"
export DEBUG=0 SECRET_KEY="loadtest-$(date +%s)-not-a-real-secret-0123456789abcdef" ALLOWED_HOSTS=127.0.0.1
export DATABASE_URL="sqlite:///$DB" DEMO_PASSWORD=${DEMO_PASSWORD:-lasttest-losen-2026}
rm -f "$DB"
$PY manage.py migrate -v0
$PY manage.py load_plan >/dev/null
DEBUG=1 $PY manage.py setup_demo >/dev/null
DEBUG=1 $PY manage.py create_demo_users --password "$DEMO_PASSWORD" >/dev/null
$PY manage.py collectstatic --noinput -v0
.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 3 --log-level warning &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 1 30); do curl -fs "http://127.0.0.1:$PORT/logga-in/" >/dev/null && break; sleep 1; done
.venv/bin/locust -f scripts/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
  --users 20 --spawn-rate 5 --run-time 60s --stop-timeout 5 --csv "$OUT/loadtest" --only-summary
echo "Resultat: $OUT/loadtest_stats.csv"
