// Test harness for the CDS Hooks suite: CDS client keys (jose), the --cds-clients allow-list, the
// server process, a tiny FHIR server (node:http) and prefetch built from examples/fhir bundles.
//
//   CALFDVT_BIN   the calfdvt binary (default: ../../build/src/cli/calfdvt from here)
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(here, '..', '..', '..');
export const BIN = process.env.CALFDVT_BIN || join(REPO, 'build', 'src', 'cli', 'calfdvt');
if (!existsSync(BIN)) throw new Error(`calfdvt binary not found at ${BIN}: build it and set CALFDVT_BIN`);

export const ISS = 'https://ehr.example.test';

// Two trusted keys (ES384, RS384) of one issuer, and an untrusted key.
export async function makeKeys() {
  const es = await generateKeyPair('ES384', { extractable: true });
  const rs = await generateKeyPair('RS384', { extractable: true, modulusLength: 2048 });
  const rogue = await generateKeyPair('ES384', { extractable: true });
  const jwk = async (k, kid, alg) => ({ ...(await exportJWK(k.publicKey)), kid, alg, use: 'sig' });
  return {
    es, rs, rogue,
    jwks: { keys: [await jwk(es, 'es-1', 'ES384'), await jwk(rs, 'rs-1', 'RS384')] },
  };
}

// A CDS client JWT (CDS Hooks 2.0 §"Trusting CDS Clients").
export async function token(keys, aud, {
  alg = 'ES384', kid, iss = ISS, jti = randomUUID(), exp = '2m', typ = 'JWT', key,
} = {}) {
  const k = key || (alg === 'RS384' ? keys.rs : keys.es).privateKey;
  const jwt = new SignJWT({}).setProtectedHeader({ alg, typ, kid: kid ?? (alg === 'RS384' ? 'rs-1' : 'es-1') })
    .setIssuer(iss).setAudience(aud).setIssuedAt().setExpirationTime(exp);
  if (jti) jwt.setJti(jti);
  return jwt.sign(k);
}

const live = new Set();
process.on('exit', () => { for (const p of live) try { p.kill('SIGKILL'); } catch { /* gone */ } });

// Starts `calfdvt serve` on a fresh SQLite database. `clients`: the JWKS allow-list to write, or
// null for the open loopback mode (--no-auth). Returns { url, stop(), viewerToken, dir }.
export async function startServer({ keys = null, extraArgs = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'calfdvt-cds-'));
  const db = `sqlite:${join(dir, 'calfdvt.db')}`;
  const made = spawnSync(BIN, ['token', 'create', '--db', db, '--role', 'viewer', '--label', 'cds-report'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`token create failed: ${made.stderr}`);
  const viewerToken = made.stdout.trim();
  const args = ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', '2'];
  if (keys) {
    const file = join(dir, 'cds-clients.json');
    writeFileSync(join(dir, 'ehr-jwks.json'), JSON.stringify(keys.jwks));
    writeFileSync(file, JSON.stringify({
      format: 'calfdvt/cds-clients@1',
      clients: [{ iss: ISS, jwks_file: 'ehr-jwks.json' }],
    }));
    args.push('--cds-clients', file);
  } else {
    args.push('--no-auth');
  }
  args.push(...extraArgs);
  const proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`server did not start: ${stderr}`)), 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^/\s]+)\//);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); fail(new Error(`server exited ${code}: ${stderr}`)); });
  });
  return {
    url, viewerToken, dir,
    stderr: () => stderr,
    async stop() {
      if (proc.exitCode === null) {
        const done = new Promise((r) => proc.on('exit', r));
        proc.kill('SIGTERM');
        await done;
      }
      live.delete(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Resources of an examples/fhir bundle grouped into calfdvt's prefetch keys (docs/cds-hooks.md).
const KEY_OF = {
  Patient: 'patient', Condition: 'conditions', Observation: 'observations', DiagnosticReport: 'reports',
  MedicationRequest: 'medications', MedicationStatement: 'medicationstatements', ServiceRequest: 'servicerequests', Encounter: 'encounters', Procedure: 'procedures',
};
export const PREFETCH_KEYS = Object.values(KEY_OF);

export function example(name) {
  return JSON.parse(readFileSync(join(REPO, 'examples', 'fhir', `${name}.json`), 'utf8'));
}

export function searchset(resources) {
  return { resourceType: 'Bundle', type: 'searchset', total: resources.length, entry: resources.map((r) => ({ fullUrl: `urn:uuid:${randomUUID()}`, resource: r })) };
}

// { patientId, prefetch } from a bundle plus extra resources.
export function prefetchOf(bundle, extra = []) {
  const resources = [...bundle.entry.map((e) => e.resource), ...extra];
  const patient = resources.find((r) => r.resourceType === 'Patient');
  const prefetch = {};
  for (const key of PREFETCH_KEYS) if (key !== 'patient') prefetch[key] = searchset([]);
  prefetch.patient = patient;
  for (const r of resources) {
    const key = KEY_OF[r.resourceType];
    if (key && key !== 'patient') prefetch[key].entry.push({ resource: r });
  }
  for (const key of PREFETCH_KEYS) if (key !== 'patient') prefetch[key].total = prefetch[key].entry.length;
  return { patientId: patient.id, prefetch, resources };
}

export function hookRequest(hook, patientId, { prefetch, draftOrders, fhirServer, fhirAuthorization } = {}) {
  const body = {
    hook,
    hookInstance: randomUUID(),
    context: { userId: 'Practitioner/example', patientId },
  };
  if (draftOrders) body.context.draftOrders = draftOrders;
  if (prefetch) body.prefetch = prefetch;
  if (fhirServer) body.fhirServer = fhirServer;
  if (fhirAuthorization) body.fhirAuthorization = fhirAuthorization;
  return body;
}

// A FHIR server over node:http answering reads and `?patient=` searches from `resources`; it
// records every request's path and Authorization header.
// A self-signed certificate for 127.0.0.1 (openssl CLI): { key, cert, certPath, dir }.
export function selfSignedCert() {
  const dir = mkdtempSync(join(tmpdir(), 'calfdvt-cds-tls-'));
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl req failed: ${r.stderr}`);
  return {
    dir, certPath: join(dir, 'cert.pem'),
    key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// `tls`: { key, cert } to serve https.
export async function startFhirServer(resources, tls = null) {
  const seen = [];
  const make = tls ? (h) => createHttpsServer({ key: tls.key, cert: tls.cert }, h) : createServer;
  const server = make((req, res) => {
    seen.push({ url: req.url, authorization: req.headers.authorization || '' });
    const u = new URL(req.url, 'http://x');
    const parts = u.pathname.replace(/^\/fhir\//, '').split('/');
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/fhir+json' });
      res.end(JSON.stringify(body));
    };
    if (parts.length === 2) {
      const r = resources.find((x) => x.resourceType === parts[0] && x.id === parts[1]);
      return r ? send(200, r) : send(404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
    }
    const patient = u.searchParams.get('patient');
    const hits = resources.filter((x) => x.resourceType === parts[0] &&
      (x.subject?.reference === `Patient/${patient}` || x.patient?.reference === `Patient/${patient}`));
    return send(200, searchset(hits));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${server.address().port}/fhir`,
    seen,
    close: () => new Promise((r) => server.close(r)),
  };
}

export { randomUUID };
