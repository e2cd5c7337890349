#!/usr/bin/env bash
# End-to-end tests of `calfdvt assess --fhir BUNDLE.json` and `--fhir-out FILE` (docs/fhir.md):
# the unmapped list shown (text section; stderr with --format json, stdout stays assessment@1),
# the same assessment as the native twin, exit 2 with path-naming errors for malformed bundles.
# Usage: fhir_test.sh CALFDVT_BINARY TEST_NAME
set -uo pipefail
BIN="$1"
NAME="$2"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUNDLE="$ROOT/examples/fhir/unknowns.json"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

fail() { echo "FAIL [$NAME]: $*" >&2; exit 1; }
run() {  # run ARGS...: sets RC; output in $TMP/out, $TMP/err
  "$BIN" "$@" >"$TMP/out" 2>"$TMP/err"
  RC=$?
}
expect_rc() { [ "$RC" -eq "$1" ] || fail "exit $RC, expected $1; stderr: $(cat "$TMP/err")"; }
expect_out() { grep -qF -- "$1" "$TMP/out" || fail "stdout lacks '$1'"; }
expect_err() { grep -qF -- "$1" "$TMP/err" || fail "stderr lacks '$1': $(cat "$TMP/err")"; }

case "$NAME" in
  text_section)
    run assess --fhir "$BUNDLE" --as-of 2026-11-21
    expect_rc 0
    expect_out "RECOMMENDATION"
    expect_out "FHIR MAPPING (fhir-map@1.0.0, patient Patient/p-unknowns)"
    expect_out "bundle [history.severe_symptoms]: no standard FHIR code carries it"
    ;;
  json_stdout_unchanged)
    run assess --fhir "$BUNDLE" --as-of 2026-11-21 --format json
    expect_rc 0
    expect_err "fhir: not mapped: bundle [preferences.anticoagulation]"
    python3 - "$TMP/out" "$ROOT/examples/unknowns.json" "$BIN" <<'PY' || fail "assessment differs from the native twin"
import json, subprocess, sys
got = json.load(open(sys.argv[1]))
want = json.loads(subprocess.run([sys.argv[3], "assess", "--format", "json", sys.argv[2]],
                                 capture_output=True, text=True, check=True).stdout)
assert got["format"] == "calfdvt/assessment@1" and got["case_id"] == "p-unknowns"
got.pop("case_id"); want.pop("case_id")
assert got == want
PY
    ;;
  stdin_and_profile)
    "$BIN" assess --fhir - --as-of 2026-11-21 --profile chest --format json \
      < "$ROOT/examples/fhir/cancer-ddu.json" > "$TMP/out" 2>"$TMP/err"
    RC=$?
    expect_rc 0
    expect_out '"profile":"chest"'
    expect_out '"agent":"oral_xa_inhibitor"'
    ;;
  fhir_out)
    run assess --fhir "$ROOT/examples/fhir/gastrocnemius-low-risk.json" --as-of 2026-11-21 --fhir-out "$TMP/p.json"
    expect_rc 0
    python3 -c "
import json; b = json.load(open('$TMP/p.json'))
t = [e['resource']['resourceType'] for e in b['entry']]
assert t == ['ServiceRequest', 'ServiceRequest', 'DetectedIssue'], t
assert all(e['resource']['subject' if e['resource']['resourceType'] != 'DetectedIssue' else 'patient']['reference'] == 'Patient/p-low-risk' for e in b['entry'])
" || fail "unexpected proposals"
    run assess --fhir-out "$TMP/nope/p.json" "$ROOT/examples/gastrocnemius-low-risk.json"
    expect_rc 2
    expect_err "cannot write"
    ;;
  malformed_exit_2)
    echo '{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","id":"a"}},{"resource":{"id":"x"}}]}' > "$TMP/b.json"
    run assess --fhir "$TMP/b.json" --as-of 2026-11-21
    expect_rc 2
    expect_err "invalid FHIR bundle (1 error)"
    expect_err "entry[1].resource.resourceType: a resource needs a resourceType (required)"
    echo '{"resourceType":"Bundle",' > "$TMP/b.json"
    run assess --fhir "$TMP/b.json" --as-of 2026-11-21
    expect_rc 2
    expect_err "malformed JSON"
    ;;
  not_assessable_exit_2)
    echo '{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"a"}}]}' > "$TMP/b.json"
    run assess --fhir "$TMP/b.json" --as-of 2026-11-21
    expect_rc 2
    expect_err "cannot assess: the imaging study could not be mapped"
    expect_err "bundle [imaging]: no usable venous ultrasound DiagnosticReport"
    ;;
  usage_exit_2)
    run assess --fhir "$BUNDLE" "$ROOT/examples/unknowns.json"
    expect_rc 2
    expect_err "not both"
    run assess --fhir "$BUNDLE" --as-of 2026-13-01
    expect_rc 2
    expect_err "--as-of must be a date"
    run assess --as-of 2026-11-21 "$ROOT/examples/unknowns.json"
    expect_rc 2
    expect_err "apply to --fhir only"
    ;;
  *)
    fail "unknown test"
    ;;
esac
exit 0
