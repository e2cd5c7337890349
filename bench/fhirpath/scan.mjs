// The calfdvt population-scan care-gap criteria (docs/scan.md) evaluated with FHIRPath.js
// (fhirpath 5.2.0, R4 model) over a FHIR Bulk Data export, for the side-by-side throughput
// comparison in docs/benchmarks.md. Streams every NDJSON file line by line, evaluates one compiled
// FHIRPath expression set per resource type, joins facts per patient in memory and applies the
// same four gap rules. The code lists come from the same data files as calfdvt
// (knowledge/fhir-map.json, knowledge/distal-dvt.json).
//
// Usage: node scan.mjs EXPORT_DIR AS_OF OUT.json [MAX_MB]
//   MAX_MB: stop after this many MB of input (a prefix of every file, proportionally), since
//   FHIRPath.js is slow; the MB/s it reports is over what it read.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4/index.js';

const [dir, asOf, outFile, maxMbArg] = process.argv.slice(2);
if (!dir || !asOf || !outFile) {
  console.error('usage: node scan.mjs EXPORT_DIR AS_OF OUT.json [MAX_MB]');
  process.exit(2);
}
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const map = JSON.parse(fs.readFileSync(path.join(root, 'knowledge/fhir-map.json'), 'utf8'));
const knowledge = JSON.parse(fs.readFileSync(path.join(root, 'knowledge/distal-dvt.json'), 'utf8'));
const grace = Math.max(...knowledge.surveillance.scans.map((s) => s.window_after_days));

// FHIRPath string literal and code-list predicates built from the code map.
const q = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const codingPred = (entries) =>
  entries
    .map((e) => {
      const sys = `system = ${q(e.system)}`;
      if (e.match === 'prefix') return `(${sys} and code.startsWith(${q(e.code)}))`;
      if (e.match === 'range') return `(${sys} and code >= ${q(e.code)} and code.substring(0, ${e.to.length}) <= ${q(e.to)})`;
      return `(${sys} and code = ${q(e.code)})`;
    })
    .join(' or ');
const cond = (m) => map.conditions.filter((c) => c.meaning === m);
const distalVeins = new Set(['anterior_tibial', 'posterior_tibial', 'peroneal', 'tibioperoneal_trunk',
  'gastrocnemius_medial', 'gastrocnemius_lateral', 'soleal']);
const proximalVeins = new Set(['popliteal', 'femoral', 'deep_femoral', 'common_femoral', 'external_iliac',
  'common_iliac', 'inferior_vena_cava']);
const reports = map.imaging.reports;
const c = (expr) => fhirpath.compile(expr, r4);

const E = {
  patientId: c('id'),
  subject: c('subject.reference'),
  conditionActive: c(`(clinicalStatus.empty() or clinicalStatus.coding.where(code in ('active' | 'recurrence' | 'relapse')).exists())
      and verificationStatus.coding.where(code in ('entered-in-error' | 'refuted')).empty()`),
  distalCondition: c(`code.coding.where(${codingPred(cond('distal_dvt'))}).exists()`),
  proximalCondition: c(`code.coding.where(${codingPred(cond('proximal_dvt'))}).exists()`),
  anticoagulant: c(`status in ('active' | 'completed') and medicationCodeableConcept.coding.where(${codingPred(
      map.medications.filter((m) => m.meaning === 'anticoagulant'))}).exists()`),
  duplexCode: c(`code.coding.where(${codingPred(reports)}).exists()`),
  limitedReport: c(`code.coding.where(${codingPred(reports.filter((r) => r.limited))}).exists()`),
  wholeLegReport: c(`code.coding.where(${codingPred(reports.filter((r) => r.protocol === 'whole_leg_duplex'))}).exists()`),
  reportDate: c('(effective as dateTime) | (effective as Period).start'),
  followupLive: c(`(status in ('revoked' | 'entered-in-error' | 'cancelled')).not()`),
  followupCompleted: c(`status = 'completed'`),
  followupDue: c('(occurrence as dateTime) | (occurrence as Period).end'),
  authored: c('authoredOn'),
  finding: c(`code.coding.where(${codingPred([map.imaging.finding])}).exists()
      and valueCodeableConcept.coding.where(${codingPred(map.imaging.present)}).exists()`),
  findingVein: c('bodySite.coding'),
  // Evaluated on every Observation, as the C++ scan probes every line: is it one the mapping reads?
  relevantObservation: c(`code.coding.where(${codingPred([map.imaging.finding, ...map.imaging.present,
      ...map.d_dimer.codes, ...map.observations, ...map.attestations])}).exists()`),
};
const veinOf = (coding) => {
  const v = map.veins.find((e) => e.system === coding.system && e.code === coding.code);
  return v ? v.vein : null;
};

const patients = new Map();
const facts = (id) => {
  let f = patients.get(id);
  if (!f) {
    f = { distal: false, proximal: false, anticoag: false, followups: [], wholeLeg: false, limited: false, reportDates: [] };
    patients.set(id, f);
  }
  return f;
};
const refId = (ref) => {
  const m = /(?:^|\/)Patient\/([^/]+)/.exec(ref || '');
  return m && m[1] !== '_history' ? m[1] : '';
};
const day = (s) => (s ? String(s).slice(0, 10) : null);

function handle(r) {
  const type = r.resourceType;
  const pid = type === 'Patient' ? E.patientId(r)[0] : refId(E.subject(r)[0]);
  if (!pid) return;
  switch (type) {
    case 'Patient': facts(pid); break;
    case 'Condition':
      if (E.conditionActive(r)[0]) {
        if (E.distalCondition(r)[0]) facts(pid).distal = true;
        if (E.proximalCondition(r)[0]) facts(pid).proximal = true;
      }
      break;
    case 'MedicationRequest':
      if (E.anticoagulant(r)[0]) facts(pid).anticoag = true;
      break;
    case 'ServiceRequest':
      if (E.duplexCode(r)[0] && E.followupLive(r)[0])
        facts(pid).followups.push({ due: day(E.followupDue(r).slice(-1)[0]), completed: E.followupCompleted(r)[0],
          authored: day(E.authored(r)[0]) });
      break;
    case 'DiagnosticReport':
      if (E.duplexCode(r)[0]) {
        const f = facts(pid);
        if (E.wholeLegReport(r)[0]) f.wholeLeg = true;
        else if (E.limitedReport(r)[0]) f.limited = true;
        f.reportDates.push(day(E.reportDate(r)[0]));
      }
      break;
    case 'Observation':
      if (E.relevantObservation(r)[0] && E.finding(r)[0]) {
        for (const coding of E.findingVein(r)) {
          const v = veinOf(coding);
          if (v && distalVeins.has(v)) facts(pid).distalFinding = true;
          if (v && proximalVeins.has(v)) facts(pid).proximal = true;
        }
      }
      break;
    default: break;
  }
}

function gaps(f) {
  const distal = (f.distal || f.distalFinding) && !f.proximal;
  const g = [];
  const followups = f.followups.map((x) => ({ ...x,
    completed: x.completed || f.reportDates.some((d) => d && x.authored && d > x.authored) }));
  if (distal && !f.anticoag && followups.length === 0) g.push('untreated_distal_without_followup');
  const addDays = (d, n) => new Date(Date.parse(d + 'T00:00:00Z') + n * 86400000).toISOString().slice(0, 10);
  if ((f.distal || f.distalFinding) && followups.some((x) => !x.completed && x.due && addDays(x.due, grace) < asOf))
    g.push('followup_overdue');
  if (f.limited && !f.wholeLeg && !f.proximal) g.push('calf_veins_not_assessed');
  if (f.proximal && !f.anticoag) g.push('proximal_dvt_untreated');
  return g;
}

function exportFiles() {
  const manifest = path.join(dir, 'manifest.json');
  if (fs.existsSync(manifest))
    return JSON.parse(fs.readFileSync(manifest, 'utf8')).output.map((o) => path.join(dir, o.url.split('/').pop()));
  return fs.readdirSync(dir).filter((n) => n.endsWith('.ndjson')).sort().map((n) => path.join(dir, n));
}

const files = exportFiles();
const total = files.reduce((s, f) => s + fs.statSync(f).size, 0);
const limit = maxMbArg ? Math.min(1, (Number(maxMbArg) * 1e6) / total) : 1;
const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
let bytes = 0, lines = 0, bad = 0;
for (const file of files) {
  const budget = fs.statSync(file).size * limit;
  let read = 0;
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) {
    read += Buffer.byteLength(line) + 1;
    lines++;
    if (line.trim() === '') continue;
    let r;
    try { r = JSON.parse(line); } catch { bad++; continue; }
    handle(r);
    if (read >= budget) break;
  }
  rl.close();
  bytes += Math.min(read, fs.statSync(file).size);
}
const out = [];
for (const [id, f] of [...patients.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
  for (const g of gaps(f)) out.push([id, g]);
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
const cpuSecs = (cpu.user + cpu.system) / 1e6;
const result = { engine: 'fhirpath.js 5.2.0', node: process.version, bytes, lines, malformed: bad, seconds: secs,
  cpu_seconds: cpuSecs, mb_per_s_wall: bytes / 1e6 / secs, mb_per_s_cpu: bytes / 1e6 / cpuSecs,
  complete: limit === 1, gaps: out };
fs.writeFileSync(outFile, JSON.stringify(result));
console.error(`fhirpath.js: ${(bytes / 1e6).toFixed(1)} MB, ${lines} lines in ${secs.toFixed(2)} s wall, ` +
  `${cpuSecs.toFixed(2)} s cpu: ${result.mb_per_s_wall.toFixed(2)} MB/s wall, ${result.mb_per_s_cpu.toFixed(2)} MB/s cpu; ` +
  `${out.length} gaps${limit < 1 ? ' (prefix of the export)' : ''}`);
