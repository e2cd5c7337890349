#!/usr/bin/env bash
# CDS Hooks load test (issue 6 §5): wrk POSTs a patient-view call with an ~8 KB prefetch bundle
# (examples/fhir/gastrocnemius-low-risk.json, trimmed) to `calfdvt serve` and, in the same run,
# loads nginx returning a fixed body, via bench/http_load.sh (same wrk command for both).
#
# Usage: bench/cds_load.sh [--duration 10s] [--threads N] CALFDVT_BIN [http_load.sh options...]
#
# The server runs in loopback demo mode (--no-auth): no client JWT, because every JWT carries a
# single-use jti and wrk replays one request body. JWT verification costs one ECDSA P-384 verify
# per call (measured separately in docs/benchmarks.md). Access log to /dev/null.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
duration=10s
server_threads=2
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --threads) server_threads="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { echo "cds_load: CALFDVT_BIN required (see --help)" >&2; exit 2; }
bin="$1"; shift

work=$(mktemp -d /tmp/calfdvt-cds-load.XXXXXX)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# ---- the request: patient-view with every prefetch key, ~8 KB ----
python3 - "$repo/examples/fhir/gastrocnemius-low-risk.json" "$work/body.json" <<'PY'
import json, sys, uuid
bundle = json.load(open(sys.argv[1]))
res = [e["resource"] for e in bundle["entry"]]
# Keep the imaging, the labs and the attestations the case needs; drop the least useful
# attestations until the body is about 8 KB.
keys = {"Patient": "patient", "Condition": "conditions", "Observation": "observations",
        "DiagnosticReport": "reports", "MedicationRequest": "medications",
        "MedicationStatement": "medicationstatements", "ServiceRequest": "servicerequests",
        "Encounter": "encounters", "Procedure": "procedures"}
def body(rs):
    pf = {k: {"resourceType": "Bundle", "type": "searchset", "entry": []} for k in keys.values() if k != "patient"}
    for r in rs:
        k = keys[r["resourceType"]]
        if k == "patient": pf["patient"] = r
        else: pf[k]["entry"].append({"resource": r})
    pid = next(r["id"] for r in rs if r["resourceType"] == "Patient")
    return json.dumps({"hook": "patient-view", "hookInstance": str(uuid.uuid4()),
                       "context": {"userId": "Practitioner/bench", "patientId": pid},
                       "prefetch": pf}, separators=(",", ":"))
while len(body(res)) > 8300:
    drop = next((i for i in range(len(res) - 1, -1, -1) if "-att-" in res[i].get("id", "")), None)
    if drop is None: break
    res.pop(drop)
open(sys.argv[2], "w").write(body(res))
PY

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --no-auth --db "sqlite:$work/cds.db" --listen "127.0.0.1:$port" --threads "$server_threads" \
  > "$work/serve.out" 2>/dev/null &
server_pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port/cds-services/calfdvt-patient-view"
# One call first: the answer must be a card (a 4xx would make the benchmark meaningless).
curl -sf -X POST -H 'Content-Type: application/json' --data-binary @"$work/body.json" "$url" \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["cards"], d; print("cds_load: body %s bytes -> %d card(s), %s" % (sys.argv[1], len(d["cards"]), d["cards"][0]["indicator"]))' \
  "$(wc -c < "$work/body.json")"
"$here/http_load.sh" --duration "$duration" --server-pid "$server_pid" "$@" "$url" POST "$work/body.json"
