#!/usr/bin/env bash
# Start gunicorn (2 workers) on a free port, run locust headless against it (the API mix), then
# the hostile scenarios (loadtest/scenarios.py: slow connections, varied PNG exports); stop
# gunicorn. Exits 1 when any target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT=$($BIN/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
OUT=$(mktemp -d)
ROUTEMAP_BIND="127.0.0.1:$PORT" WEB_CONCURRENCY=2 $BIN/gunicorn -c gunicorn.conf.py \
  --access-logfile /dev/null app:server >"$OUT/gunicorn.log" 2>&1 &
GPID=$!
trap 'kill -TERM $GPID 2>/dev/null; wait $GPID 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
status=0
$BIN/locust -f loadtest/locustfile.py --headless -u "${USERS:-20}" -r "${USERS:-20}" \
  -t "${DURATION:-20s}" --host "http://127.0.0.1:$PORT" --csv "$OUT/load" \
  --only-summary --loglevel WARNING || status=1
echo
echo "Hostile scenarios (loadtest/scenarios.py):"
$BIN/python loadtest/scenarios.py "$PORT" || status=1
exit $status
