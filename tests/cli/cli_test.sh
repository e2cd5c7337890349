#!/usr/bin/env bash
# End-to-end tests of the calfdvt command as a user runs it: exit codes (0 ok, 2 invalid input or
# usage, 1 internal), stderr messages naming the JSON path, text and JSON output, --batch, knowledge
# check/show, --profile and --knowledge. Usage: cli_test.sh CALFDVT_BINARY TEST_NAME
set -uo pipefail
BIN="$1"
NAME="$2"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
EX="$ROOT/examples/gastrocnemius-low-risk.json"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

fail() { echo "FAIL [$NAME]: $*" >&2; exit 1; }
run() {  # run ARGS...: sets OUT, ERR, RC
  "$BIN" "$@" >"$TMP/out" 2>"$TMP/err"
  RC=$?
  OUT="$(cat "$TMP/out")"
  ERR="$(cat "$TMP/err")"
}
expect_rc() { [ "$RC" -eq "$1" ] || fail "exit $RC, expected $1; stderr: $ERR"; }
expect_out() { grep -qF -- "$1" "$TMP/out" || fail "stdout lacks '$1'"; }
expect_err() { grep -qF -- "$1" "$TMP/err" || fail "stderr lacks '$1': $ERR"; }
# json_field FILE EXPR: evaluates a python expression over the parsed JSON `d`.
json() { python3 -c "import json,sys; d=json.load(open('$TMP/out')); print($1)"; }
mutate() {  # mutate PYTHON_STATEMENT: writes $TMP/case.json from the example after `d` is edited
  python3 -c "import json; d=json.load(open('$EX')); $1; json.dump(d, open('$TMP/case.json','w'))"
}

case "$NAME" in
  text_output)
    run assess "$EX"
    expect_rc 0
    expect_out "RECOMMENDATION"
    expect_out "Serial ultrasound surveillance"
    expect_out "followup_imaging_required"
    expect_out "day 7: due 2026-11-27 (window 2026-11-25 to 2026-11-29)"
    expect_out "EVIDENCE"
    expect_out "Kret 2013"
    expect_out "R5.3"
    ;;
  json_output)
    run assess --format json "$EX"
    expect_rc 0
    [ "$(json 'd["format"]')" = "calfdvt/assessment@1" ] || fail "format"
    [ "$(json 'd["strategy"]')" = "serial_imaging" ] || fail "strategy"
    [ "$(json 'd["knowledge"]["profile"]')" = "seed001" ] || fail "profile"
    [ "$(json 'len(d["knowledge"]["sha256"])')" = "64" ] || fail "sha256"
    [ "$(json 'd["surveillance"]["scans"][1]["due"]')" = "2026-12-04" ] || fail "day 14 due"
    [ "$(json 'd["regimen"]')" = "None" ] || fail "regimen must be null"
    ;;
  stdin_input)
    "$BIN" assess --format json - <"$EX" >"$TMP/out" 2>"$TMP/err"; RC=$?
    expect_rc 0
    [ "$(json 'd["classification"]')" = "isolated_distal" ] || fail "classification"
    ;;
  profile_chest)
    mutate 'd["history"]["recent_surgery"]=True'
    run assess --format json "$TMP/case.json"
    expect_rc 0
    [ "$(json 'd["strategy"]')" = "anticoagulate" ] || fail "seed001 counts recent surgery"
    run assess --format json --profile chest "$TMP/case.json"
    expect_rc 0
    [ "$(json 'd["strategy"]')" = "serial_imaging" ] || fail "chest does not count recent surgery"
    [ "$(json 'd["knowledge"]["profile"]')" = "chest" ] || fail "stamp names the profile"
    ;;
  unknown_profile)
    run assess --profile nice "$EX"
    expect_rc 2
    expect_err "unknown profile \"nice\""
    ;;
  knowledge_override)
    # A threshold changed in a knowledge file changes the decision without recompiling.
    sed 's/"threshold": 5, "unit": "cm"}/"threshold": 2.5, "unit": "cm"}/' "$ROOT/knowledge/distal-dvt.json" >"$TMP/k.json"
    grep -q '"threshold": 2.5' "$TMP/k.json" || fail "sed did not apply"
    run assess --format json --knowledge "$TMP/k.json" "$EX"
    expect_rc 0
    [ "$(json 'd["strategy"]')" = "anticoagulate" ] || fail "3 cm > 2.5 cm must anticoagulate"
    run assess --format json "$EX"
    [ "$(json 'd["strategy"]')" = "serial_imaging" ] || fail "embedded file unchanged"
    ;;
  invalid_case_exit_2)
    mutate 'd["imaging"]["thrombi"][0]["length_cm"]=-1; d["patient"]["age"]="old"; d["extra"]=1'
    run assess "$TMP/case.json"
    expect_rc 2
    expect_err "imaging.thrombi[0].length_cm: must be greater than 0"
    expect_err "patient.age: must be a number"
    expect_err "extra: unknown field"
    expect_err "3 errors"
    [ -z "$OUT" ] || fail "no output on invalid input"
    ;;
  malformed_json_exit_2)
    printf '{"as_of": "2026-11-21", "as_of": "2026-11-22"}' >"$TMP/case.json"
    run assess "$TMP/case.json"
    expect_rc 2
    expect_err "duplicate key"
    printf '{"as_of": NaN}' >"$TMP/case.json"
    run assess "$TMP/case.json"
    expect_rc 2
    expect_err "malformed JSON"
    ;;
  future_imaging_exit_2)
    mutate 'd["imaging"]["date"]="2026-11-22"'
    run assess "$TMP/case.json"
    expect_rc 2
    expect_err "imaging.date: imaging date 2026-11-22 is after as_of 2026-11-21"
    ;;
  missing_file_exit_2)
    run assess "$TMP/nope.json"
    expect_rc 2
    expect_err "cannot read"
    ;;
  usage_exit_2)
    run assess --format yaml "$EX"
    expect_rc 2
    run frobnicate
    expect_rc 2
    run
    expect_rc 2
    ;;
  help_and_version)
    run --version
    expect_rc 0
    expect_out "calfdvt "
    for verb in "assess" "knowledge" "knowledge check" "knowledge show"; do
      # shellcheck disable=SC2086
      run $verb --help
      expect_rc 0
      expect_out "Usage"
    done
    ;;
  batch)
    python3 - "$EX" >"$TMP/in.ndjson" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(json.dumps(d))
print("")
print("{not json")
e = dict(d); e["as_of"] = "2026-02-30"; print(json.dumps(e))
f = json.loads(json.dumps(d)); f["history"]["prior_vte"] = True; print(json.dumps(f))
PY
    run assess --batch "$TMP/in.ndjson"
    expect_rc 2
    expect_err "5 lines: 2 assessed, 2 rejected"
    [ "$(wc -l <"$TMP/out")" = "4" ] || fail "one output line per non-blank input line"
    python3 - "$TMP/out" <<'PY' || fail "batch records"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert lines[0]["strategy"] == "serial_imaging", lines[0]
assert lines[1]["line"] == 3 and lines[1]["errors"][0]["rule"] == "malformed_json", lines[1]
assert lines[2]["line"] == 4 and lines[2]["errors"][0]["path"] == "as_of", lines[2]
assert lines[3]["strategy"] == "anticoagulate", lines[3]
PY
    ;;
  batch_all_valid)
    python3 -c "import json; d=json.load(open('$EX')); [print(json.dumps(d)) for _ in range(3)]" >"$TMP/in.ndjson"
    run assess --batch "$TMP/in.ndjson"
    expect_rc 0
    [ "$(wc -l <"$TMP/out")" = "3" ] || fail "3 assessments"
    ;;
  knowledge_check)
    run knowledge check "$ROOT/knowledge/distal-dvt.json"
    expect_rc 0
    expect_out "ok: distal-dvt version"
    python3 -c "
import json; d=json.load(open('$ROOT/knowledge/distal-dvt.json'))
d['rules']['R6']['sources']=[]; d['features']['covid19']['colour']='red'
json.dump(d, open('$TMP/bad.json','w'))"
    run knowledge check "$TMP/bad.json"
    expect_rc 2
    expect_err "rules.R6.sources: must cite at least one source"
    expect_err "features.covid19.colour: unknown field"
    ;;
  knowledge_show)
    run knowledge show
    expect_rc 0
    expect_out "sha256"
    expect_out "length_over_5cm"
    run knowledge show --profile chest
    expect_rc 0
    expect_out "recent_surgery                       NOT counted"
    run knowledge show --format json
    expect_rc 0
    [ "$(json 'd["knowledge"]["id"]')" = "distal-dvt" ] || fail "json show"
    ;;
  procedure_add)
    SERIES="$ROOT/tests/fixtures/calf_squeeze_published_series.ndjson"
    head -n 1 "$SERIES" >"$TMP/proc.json"
    run procedure add --db "sqlite:$TMP/p.db" "$TMP/proc.json"
    expect_rc 0
    expect_out "procedure "
    expect_out "Squeezes: 1"
    expect_out "Successful recanalization: yes"
    expect_out "no_embolic_protection"
    python3 -c "import json; d=json.load(open('$TMP/proc.json')); d['ivc_filter']='none'; json.dump(d, open('$TMP/nofilter.json','w'))"
    run procedure add --db "sqlite:$TMP/p.db" "$TMP/nofilter.json"
    expect_rc 0
    expect_out "[fired] critical no_embolic_protection"
    ;;
  procedure_add_invalid_exit_2)
    echo '{"format":"calfdvt/procedure@1","patient_id":"x","date":"2025-01-01","side":"left","access_vein":"popliteal","squeezes":[{"target_veins":["nowhere"]}]}' >"$TMP/bad.json"
    run procedure add --db "sqlite:$TMP/p.db" "$TMP/bad.json"
    expect_rc 2
    expect_err "squeezes[0].target_veins[0]"
    [ ! -e "$TMP/p.db" ] || fail "an invalid record must not create the database"
    ;;
  registry_report)
    SERIES="$ROOT/tests/fixtures/calf_squeeze_published_series.ndjson"
    while IFS= read -r line; do
      [ -n "$line" ] || continue
      printf '%s\n' "$line" >"$TMP/one.json"
      run procedure add --db "sqlite:$TMP/r.db" "$TMP/one.json"
      expect_rc 0
    done <"$SERIES"
    run registry report --db "sqlite:$TMP/r.db" --format json
    expect_rc 0
    [ "$(json 'd["procedures"]')" = "10" ] || fail "procedures"
    [ "$(json 'd["squeezes"]["mean"]')" = "1.3" ] || fail "mean"
    [ "$(json 'd["recanalization"]["k"], d["recanalization"]["n"]')" = "10 10" ] || fail "recanalization"
    [ "$(json 'round(d["recanalization"]["exact"]["low"], 3)')" = "0.692" ] || fail "exact low"
    [ "$(json 'round(d["complications"]["exact"]["high"], 3)')" = "0.308" ] || fail "complications high"
    cp "$TMP/out" "$TMP/db.json"
    run registry report --input "$SERIES" --format json
    expect_rc 0
    cmp -s "$TMP/out" "$TMP/db.json" || fail "store and --input reports differ"
    run registry report --db "sqlite:$TMP/r.db"
    expect_rc 0
    expect_out "mean 1.3, SD 0.67, median 1, range 1-3"
    expect_out "69.2-100.0%"
    run registry report --db "sqlite:$TMP/r.db" --format csv
    expect_rc 0
    expect_out "group,item,k,n,unknown,value"
    expect_out "squeezes,mean"
    run registry report --db "sqlite:$TMP/r.db" --format json --from 2030-01-01
    expect_rc 0
    [ "$(json 'd["procedures"]')" = "0" ] || fail "from filter"
    run registry report --db "sqlite:$TMP/r.db" --format yaml
    expect_rc 2
    run registry report --db "sqlite:$TMP/r.db" --from 2025-02-30
    expect_rc 2
    expect_err "--from"
    ;;
  *)
    fail "unknown test"
    ;;
esac
echo "ok [$NAME]"
