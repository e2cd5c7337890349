#!/usr/bin/env bash
# End-to-end tests of `calfdvt synth` and `calfdvt scan` (issue 6 §4): a synthetic Bulk export is
# scanned and the report must list exactly the planted care gaps (set equality on patient x gap),
# be identical for 1 and 3 threads, report each planted malformed line by file and line while the
# scan goes on, and work with and without a manifest and with several files per type.
# Usage: scan_test.sh CALFDVT_BINARY TEST_NAME
set -uo pipefail
BIN="$1"
NAME="$2"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

fail() { echo "FAIL [$NAME]: $*" >&2; exit 1; }
run() {  # run ARGS...: sets RC; stdout in $TMP/out, stderr in $TMP/err
  "$BIN" "$@" >"$TMP/out" 2>"$TMP/err"
  RC=$?
}
expect_rc() { [ "$RC" -eq "$1" ] || fail "exit $RC, expected $1; stderr: $(cat "$TMP/err")"; }
expect_err() { grep -qF -- "$1" "$TMP/err" || fail "stderr lacks '$1': $(cat "$TMP/err")"; }

# compare REPORT TRUTH: the report's rows equal the planted DVT patients and their gaps, the gap
# counts agree, and every planted malformed line is reported (and nothing else).
compare() {
  python3 - "$1" "$2" <<'PY' || fail "report differs from the planted truth"
import json, sys
r = json.load(open(sys.argv[1])); t = json.load(open(sys.argv[2]))
assert r["format"] == "calfdvt/scan-report@1", r["format"]
assert r["as_of"] == t["as_of"]
assert len(r["knowledge"]["sha256"]) == 64
got = {(p["patient"], g) for p in r["patients"] for g in p["gaps"]}
want = {(p["patient"], g) for p in t["dvt_patients"] for g in p["gaps"]}
missing, extra = want - got, got - want
assert not missing and not extra, f"missing {sorted(missing)[:5]} ({len(missing)}), extra {sorted(extra)[:5]} ({len(extra)})"
rows = {p["patient"]: p for p in r["patients"]}
for p in t["dvt_patients"]:
    row = rows.get(p["patient"])
    assert row is not None, "no row for " + p["patient"]
    assert row["distal_dvt"] == p["distal_dvt"] and row["proximal_dvt"] == p["proximal_dvt"], p["patient"]
assert len(rows) == len(t["dvt_patients"]), (len(rows), len(t["dvt_patients"]))
assert r["counts"]["gaps"] == t["gap_counts"], (r["counts"]["gaps"], t["gap_counts"])
assert r["counts"]["patients_scanned"] == t["patients"]
assert [p["patient"] for p in r["patients"]] == sorted(rows), "rows sorted by patient id"
errs = [(e["file"], e["line"]) for e in r["errors"]]
assert errs == [(m["file"], m["line"]) for m in t["malformed"]], (errs, t["malformed"])
assert r["counts"]["errors"] == len(t["malformed"])
assert r["counts"]["assessed"] > 0
print("ok:", len(got), "gaps over", len(rows), "patients")
PY
}

case "$NAME" in
  synth_roundtrip)  # manifest, several files per type, malformed lines, 1 vs 3 threads
    run synth --patients 2500 --seed 11 --files-per-type 3 --malformed 4 --out "$TMP/x"
    expect_rc 0
    [ -f "$TMP/x/manifest.json" ] || fail "no manifest"
    [ -f "$TMP/x/Observation.3.ndjson" ] || fail "no third Observation file"
    run scan "$TMP/x" --as-of 2026-11-21 --threads 1 --out "$TMP/r1.json"
    expect_rc 0
    expect_err "bad lines (scan completed)"
    F="$(python3 -c "import json; m=json.load(open('$TMP/x/expected-gaps.json'))['malformed'][0]; print(f\"{m['file']}:{m['line']}:\")")"
    expect_err "$F"
    compare "$TMP/r1.json" "$TMP/x/expected-gaps.json"
    run scan "$TMP/x" --as-of 2026-11-21 --threads 3 --out "$TMP/r3.json"
    expect_rc 0
    cmp -s "$TMP/r1.json" "$TMP/r3.json" || fail "reports differ between 1 and 3 threads"
    python3 -c "import json,sys; sys.exit(0 if json.load(open('$TMP/r1.json'))['input']['manifest'] else 1)" \
      || fail "manifest not reported"
    ;;
  no_manifest)  # no manifest: files found by name, types from the file names
    run synth --patients 1200 --seed 5 --no-manifest --out "$TMP/x"
    expect_rc 0
    [ ! -f "$TMP/x/manifest.json" ] || fail "manifest written"
    # Other Bulk file-name styles: the type is the first capitalised word of the name.
    mv "$TMP/x/Observation.ndjson" "$TMP/x/Observation-000.ndjson"
    mv "$TMP/x/Condition.ndjson" "$TMP/x/1.Condition.ndjson"
    run scan "$TMP/x" --as-of 2026-11-21 --threads 2 --out "$TMP/r.json" --csv "$TMP/r.csv"
    expect_rc 0
    compare "$TMP/r.json" "$TMP/x/expected-gaps.json"
    python3 - "$TMP/r.json" "$TMP/r.csv" <<'PY' || fail "csv"
import csv, json, sys
r = json.load(open(sys.argv[1])); rows = list(csv.DictReader(open(sys.argv[2], newline="")))
assert not r["input"]["manifest"]
types = {f["name"]: f["type"] for f in r["input"]["files"]}
assert types["Observation-000.ndjson"] == "Observation" and types["1.Condition.ndjson"] == "Condition", types
assert len(rows) == len(r["patients"]), (len(rows), len(r["patients"]))
assert [x["patient"] for x in rows] == [p["patient"] for p in r["patients"]]
assert all(x["gaps"] == ";".join(p["gaps"]) for x, p in zip(rows, r["patients"]))
PY
    ;;
  split_chunks)  # 16 KiB chunks: many chunk boundaries per file; CRLF and blank lines
    run synth --patients 600 --seed 3 --files-per-type 2 --malformed 2 --out "$TMP/x"
    expect_rc 0
    # Blank lines and CRLF endings are benign; a relative and an absolute subject both join.
    sed -i 's/$/\r/' "$TMP/x/Condition.1.ndjson"
    printf '\n\n' >> "$TMP/x/Encounter.2.ndjson"
    run scan "$TMP/x" --as-of 2026-11-21 --threads 2 --chunk-kb 16 --out "$TMP/r.json"
    expect_rc 0
    compare "$TMP/r.json" "$TMP/x/expected-gaps.json"
    run scan "$TMP/x" --as-of 2026-11-21 --threads 1 --out "$TMP/r1.json"
    expect_rc 0
    cmp -s "$TMP/r.json" "$TMP/r1.json" || fail "chunk size or threads changed the report"
    ;;
  usage_exit_2)
    run scan "$TMP/missing" --out "$TMP/r.json"
    expect_rc 2
    expect_err "not a directory"
    mkdir -p "$TMP/empty"
    run scan "$TMP/empty" --out "$TMP/r.json"
    expect_rc 2
    expect_err "no manifest.json and no *.ndjson file"
    run synth --patients 10 --seed 1 --out "$TMP/x"
    run scan "$TMP/x" --as-of 2026-13-01 --out "$TMP/r.json"
    expect_rc 2
    expect_err "--as-of"
    run scan "$TMP/x" --threads 0 --out "$TMP/r.json"
    expect_rc 2
    run scan "$TMP/x"
    expect_rc 2
    rm "$TMP/x/Patient.ndjson"
    run scan "$TMP/x" --out "$TMP/r.json"
    expect_rc 2
    expect_err "Patient.ndjson is not in"
    run synth --patients 0 --seed 1 --out "$TMP/y"
    expect_rc 2
    run synth --patients 10 --seed 1 --out "$TMP/x"
    expect_rc 2
    expect_err "not empty"
    ;;
  *) fail "unknown test" ;;
esac
echo "ok [$NAME]"
