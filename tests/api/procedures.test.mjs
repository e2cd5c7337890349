// Calf-squeeze procedures and the registry through the real HTTP API (clinical-spec §7), on every
// backend: record a procedure, append squeezes one by one and watch the protocol checks change,
// record and correct its outcome at the end, the printable HTML report, the ten-procedure
// published series through the registry in JSON, CSV and text, and bad records answered 400 with
// paths.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { client } from './lib/openapi.mjs';
import { addDays, today } from './lib/fixtures.mjs';
import { BACKENDS, REPO, createToken, freshDb, startServer } from './lib/server.mjs';

const SERIES = readFileSync(join(REPO, 'tests', 'fixtures', 'calf_squeeze_published_series.ndjson'), 'utf8')
  .split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));

// A live procedure: the first published record, no squeezes yet, no IVC filter, dated today.
function liveRecord() {
  const r = structuredClone(SERIES[0]);
  r.id = 'live-1';
  r.date = today();
  r.operator = 'op-live';
  r.ivc_filter = 'none';
  r.squeezes = [];
  delete r.result;
  delete r.complications;
  return r;
}

const check = (doc, id) => doc.report.checks.find((c) => c.id === id);
const squeeze = { target_veins: ['popliteal', 'gastrocnemius_medial'], migration_observed: true, thrombus_aspirated: true };

for (const backend of BACKENDS) {
  describe(`procedures [${backend.name}]`, { skip: backend.skip }, () => {
    let db;
    let server;
    let api;
    before(async () => {
      db = freshDb(backend);
      server = await startServer(db);
      api = client(server.url);
    });
    after(async () => {
      try {
        if (server) assert.deepEqual(await server.stop('SIGTERM'), { code: 0, signal: null }, 'graceful exit');
      } finally {
        db?.drop();
      }
    });

    test('done-when: record a procedure squeeze by squeeze and see the protocol warnings', async () => {
      const created = await api.post('/api/v1/procedures', liveRecord());
      assert.equal(created.status, 201, created.text);
      const id = created.body.id;
      assert.equal(created.headers.get('location'), `/api/v1/procedures/${id}`);
      assert.equal(created.body.version, 0);
      assert.equal(created.body.report.format, 'calfdvt/procedure-report@1');
      assert.equal(created.body.report.procedure.squeezes.length, 0);
      const noFilter = check(created.body, 'no_embolic_protection');
      assert.equal(noFilter.status, 'fired');
      assert.equal(noFilter.severity, 'critical');

      let doc = created.body;
      for (let i = 1; i <= 4; ++i) {
        const r = await api.post(`/api/v1/procedures/${id}/squeezes`, squeeze);
        assert.equal(r.status, 200, r.text);
        doc = r.body;
        assert.equal(doc.version, i);
        assert.equal(doc.report.procedure.squeezes.length, i);
        assert.equal(check(doc, 'squeezes_beyond_published').status, i >= 4 ? 'fired' : 'not_fired', `after squeeze ${i}`);
      }
      assert.equal(doc.report.outcomes.squeeze_count, 4);

      // Optimistic concurrency: a stale expected_version is a conflict and writes nothing.
      const stale = await api.post(`/api/v1/procedures/${id}/squeezes`, squeeze, { query: { expected_version: 2 } });
      assert.equal(stale.status, 409, stale.text);
      const current = await api.post(`/api/v1/procedures/${id}/squeezes`, squeeze, { query: { expected_version: 4 } });
      assert.equal(current.status, 200, current.text);
      assert.equal(current.body.version, 5);

      const got = await api.get(`/api/v1/procedures/${id}`);
      assert.equal(got.status, 200);
      assert.deepEqual(got.body, current.body);

      const html = await api.get(`/api/v1/procedures/${id}`, { query: { format: 'html' } });
      assert.equal(html.status, 200);
      assert.match(html.headers.get('content-type'), /^text\/html/);
      assert.match(html.text, /no_embolic_protection/);
      assert.match(html.text, /squeezes_beyond_published/);
      assert.match(html.text, /Successful recanalization/);
      assert.match(html.text, /op-live/);

      const missing = await api.get('/api/v1/procedures/nope');
      assert.equal(missing.status, 404);
      const missingSqueeze = await api.post('/api/v1/procedures/nope/squeezes', squeeze);
      assert.equal(missingSqueeze.status, 404);
    });

    test('done-when: record the outcome at the end of a live procedure, correct it, audit both', async () => {
      const created = await api.post('/api/v1/procedures', liveRecord());
      assert.equal(created.status, 201, created.text);
      const id = created.body.id;
      const s1 = await api.post(`/api/v1/procedures/${id}/squeezes`, squeeze, { query: { expected_version: 0 } });
      assert.equal(s1.status, 200, s1.text);
      assert.equal(s1.body.report.outcomes.recanalization, null, 'live procedure: recanalization unknown');
      assert.equal(s1.body.report.outcomes.complication, null);

      const outcome = {
        result: { antegrade_flow: true, residual_thrombus_percent: 10, stent: true },
        complications: [{ type: 'access_site_hematoma', severity: 'minor' }],
      };
      const url = `/api/v1/procedures/${id}/outcome`;
      const r = await api.put(url, outcome, { query: { expected_version: 1 } });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.version, 2);
      assert.deepEqual(r.body.report.procedure.result, outcome.result);
      assert.deepEqual(r.body.report.procedure.complications, outcome.complications);
      assert.equal(r.body.report.procedure.squeezes.length, 1, 'squeezes kept');
      assert.equal(r.body.report.outcomes.recanalization, true);
      assert.equal(r.body.report.outcomes.removal_percent, 90);
      assert.equal(r.body.report.outcomes.removal_grade, 'II');
      assert.equal(r.body.report.outcomes.complication, true);
      assert.equal(r.body.report.outcomes.major_complication, false);
      // Checks are re-computed exactly as after a squeeze: the same document as a fresh GET.
      assert.equal(check(r.body, 'no_embolic_protection').status, 'fired');
      assert.deepEqual((await api.get(`/api/v1/procedures/${id}`)).body, r.body);

      // Stale version: 409, nothing written.
      const stale = await api.put(url, { result: { antegrade_flow: false } }, { query: { expected_version: 1 } });
      assert.equal(stale.status, 409, stale.text);
      assert.equal((await api.get(`/api/v1/procedures/${id}`)).body.version, 2);

      // A correction replaces the outcome (a key left out is not recorded again).
      const fixed = await api.put(url, { result: { antegrade_flow: false, residual_thrombus_percent: 60 } }, { query: { expected_version: 2 } });
      assert.equal(fixed.status, 200, fixed.text);
      assert.equal(fixed.body.version, 3);
      assert.equal(fixed.body.report.outcomes.recanalization, false);
      assert.equal(fixed.body.report.outcomes.complication, null);
      assert.equal(fixed.body.report.procedure.complications, undefined);

      // A squeeze after the outcome shares the version sequence and keeps the outcome.
      const s2 = await api.post(`/api/v1/procedures/${id}/squeezes`, squeeze, { query: { expected_version: 3 } });
      assert.equal(s2.status, 200, s2.text);
      assert.equal(s2.body.version, 4);
      assert.equal(s2.body.report.outcomes.recanalization, false);

      const html = await api.get(`/api/v1/procedures/${id}`, { query: { format: 'html' } });
      assert.match(html.text, /Thrombus removal<\/th><td>40%/);

      // The full trail: every recording, with what it replaced; no patient identifier.
      const audit = await api.get(`/api/v1/procedures/${id}/audit`);
      assert.equal(audit.status, 200, audit.text);
      assert.equal(audit.body.procedure_id, id);
      assert.deepEqual(audit.body.entries.map((e) => e.action),
        ['procedure.create', 'procedure.squeeze', 'procedure.outcome', 'procedure.outcome', 'procedure.squeeze']);
      const [first, second] = audit.body.entries.filter((e) => e.action === 'procedure.outcome');
      assert.deepEqual(first.change, { version: 2, outcome: { recorded: outcome, replaced: { result: null, complications: null } } });
      assert.deepEqual(second.change.outcome.replaced, outcome);
      assert.deepEqual(second.change.outcome.recorded, { result: { antegrade_flow: false, residual_thrombus_percent: 60 }, complications: null });
      for (const e of audit.body.entries.slice(1)) assert.ok(!JSON.stringify(e.change).includes(liveRecord().patient_id), 'no patient id');
      assert.equal((await api.get('/api/v1/procedures/nope/audit')).status, 404);
    });

    test('outcome errors: 400 with the record paths, 404, 409, 415, expected_version required, viewer 403 elsewhere', async () => {
      const created = await api.post('/api/v1/procedures', liveRecord());
      assert.equal(created.status, 201, created.text);
      const url = `/api/v1/procedures/${created.body.id}/outcome`;
      const q0 = { query: { expected_version: 0 } };
      const bad = await api.put(url, {
        result: { residual_thrombus_percent: 120, antegrade_flow: 'yes' },
        complications: [{ type: 'death', severity: 'minor' }, { type: 'fainting' }],
        squeezes: [],
      }, q0);
      assert.equal(bad.status, 400, bad.text);
      const got = new Set(bad.body.errors.map((e) => `${e.path} ${e.rule}`));
      for (const want of ['result.residual_thrombus_percent range', 'result.antegrade_flow type',
        'complications[0].severity contradiction', 'complications[1].type enum', 'squeezes unknown_field']) {
        assert.ok(got.has(want), `${want} in ${[...got].join(', ')}`);
      }
      const malformed = await api.request('PUT', url, { ...q0, body: '{"result": {' });
      assert.equal(malformed.status, 400, malformed.text);
      const noVersion = await api.put(url, { complications: [] });
      assert.equal(noVersion.status, 400, noVersion.text);
      assert.equal(noVersion.body.error.path, 'expected_version');
      const badVersion = await api.put(url, { complications: [] }, { query: { expected_version: '-1' } });
      assert.equal(badVersion.status, 400, badVersion.text);
      assert.equal(badVersion.body.error.path, 'expected_version');
      const text = await api.request('PUT', url, { ...q0, body: 'complications: none', contentType: 'text/plain' });
      assert.equal(text.status, 415, text.text);
      const missing = await api.put('/api/v1/procedures/nope/outcome', { complications: [] }, q0);
      assert.equal(missing.status, 404, missing.text);
      const stale = await api.put(url, { complications: [] }, { query: { expected_version: 5 } });
      assert.equal(stale.status, 409, stale.text);
      // Nothing of the above was written.
      const after = await api.get(`/api/v1/procedures/${created.body.id}`);
      assert.equal(after.body.version, 0);
      assert.equal(after.body.report.outcomes.complication, null);
      const wrongMethod = await api.post(url, { complications: [] });
      assert.equal(wrongMethod.status, 405);
    });

    test('HTML report escapes every string', async () => {
      const r = liveRecord();
      r.operator = '<script>alert(1)</script>';
      r.patient_id = 'P&"<b>';
      const created = await api.post('/api/v1/procedures', r);
      assert.equal(created.status, 201, created.text);
      const html = await api.get(`/api/v1/procedures/${created.body.id}`, { query: { format: 'html' } });
      assert.equal(html.status, 200);
      assert.ok(!html.text.includes('<script>'), 'operator escaped');
      assert.ok(html.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
      assert.ok(html.text.includes('P&amp;&quot;&lt;b&gt;'));
    });

    test('bad records and bad squeezes are 400 with paths', async () => {
      const r = liveRecord();
      r.squeezes = [{ target_veins: ['nowhere'] }];
      r.unknown_field = 1;
      const bad = await api.post('/api/v1/procedures', r);
      assert.equal(bad.status, 400, bad.text);
      const paths = [bad.body.error.path, ...(bad.body.errors || []).map((e) => e.path)];
      assert.ok(paths.some((p) => p.startsWith('squeezes[0].target_veins')), JSON.stringify(bad.body));

      const future = liveRecord();
      future.date = addDays(today(), 2);
      const f = await api.post('/api/v1/procedures', future);
      assert.equal(f.status, 400, f.text);
      assert.equal(f.body.error.path, 'date');

      const created = await api.post('/api/v1/procedures', liveRecord());
      assert.equal(created.status, 201);
      const s = await api.post(`/api/v1/procedures/${created.body.id}/squeezes`, { target_veins: [] });
      assert.equal(s.status, 400, s.text);
      assert.match(s.body.error.path, /^target_veins/);
      const q = await api.get('/api/v1/registry', { query: { from: 'yesterday' } });
      assert.equal(q.status, 400);
      assert.equal(q.body.error.path, 'from');
    });

    test('roles: a viewer reads procedures and the registry but cannot record; a clinician records', async () => {
      const tokensDb = freshDb(backend);
      let tokenServer;
      try {
        const viewer = await createToken(tokensDb, 'viewer', 'Viewer V');
        const clinician = await createToken(tokensDb, 'clinician', 'Dr C');
        tokenServer = await startServer(tokensDb, { auth: 'tokens' });
        const v = client(tokenServer.url, { token: viewer });
        const c = client(tokenServer.url, { token: clinician });
        const anon = await client(tokenServer.url).get('/api/v1/registry');
        assert.equal(anon.status, 401);
        const denied = await v.post('/api/v1/procedures', liveRecord());
        assert.equal(denied.status, 403);
        const created = await c.post('/api/v1/procedures', liveRecord());
        assert.equal(created.status, 201, created.text);
        assert.match(created.body.created_by, /^Dr C \[token /);
        const squeezeDenied = await v.post(`/api/v1/procedures/${created.body.id}/squeezes`, squeeze);
        assert.equal(squeezeDenied.status, 403);
        const outcomeUrl = `/api/v1/procedures/${created.body.id}/outcome`;
        const outcomeDenied = await v.put(outcomeUrl, { complications: [] }, { query: { expected_version: 0 } });
        assert.equal(outcomeDenied.status, 403);
        const recorded = await c.put(outcomeUrl, { complications: [] }, { query: { expected_version: 0 } });
        assert.equal(recorded.status, 200, recorded.text);
        assert.equal(recorded.body.report.outcomes.complication, false);
        assert.equal((await v.get(`/api/v1/procedures/${created.body.id}`)).status, 200);
        const reg = await v.get('/api/v1/registry');
        assert.equal(reg.status, 200);
        assert.equal(reg.body.procedures, 1);
      } finally {
        if (tokenServer) await tokenServer.stop('SIGTERM');
        tokensDb.drop();
      }
    });

    test('done-when: the published series through the API reproduces the published summary', async () => {
      for (const rec of SERIES) {
        const r = await api.post('/api/v1/procedures', rec);
        assert.equal(r.status, 201, r.text);
      }
      // The series is dated 2025-03-11..2026-07-09; the live procedures above are dated today.
      const query = { from: '2025-01-01', to: addDays(today(), -1) };
      const list = await api.get('/api/v1/procedures', { query });
      assert.equal(list.status, 200);
      assert.equal(list.body.procedures.length, 10);

      const j = await api.get('/api/v1/registry', { query });
      assert.equal(j.status, 200, j.text);
      const rep = j.body;
      assert.equal(rep.format, 'calfdvt/registry-report@1');
      assert.equal(rep.procedures, 10);
      assert.equal(rep.squeezes.total, 13);
      assert.equal(rep.squeezes.mean, 1.3);
      assert.equal(rep.squeezes.min, 1);
      assert.equal(rep.squeezes.max, 3);
      assert.deepEqual([rep.migration.k, rep.migration.n], [10, 10]);
      assert.deepEqual([rep.recanalization.k, rep.recanalization.n], [10, 10]);
      assert.ok(Math.abs(rep.recanalization.exact.low - 0.692) < 0.0005, String(rep.recanalization.exact.low));
      assert.equal(rep.recanalization.exact.high, 1);
      assert.deepEqual([rep.complications.k, rep.complications.n], [0, 10]);
      assert.equal(rep.complications.exact.low, 0);
      assert.ok(Math.abs(rep.complications.exact.high - 0.308) < 0.0005, String(rep.complications.exact.high));
      assert.equal(rep.published.procedures, 10);
      assert.equal(rep.published.squeezes.mean, 1.3);
      assert.equal(rep.published.recanalization.overlap, true);

      const csv = await api.get('/api/v1/registry', { query: { ...query, format: 'csv' } });
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type'), /^text\/csv/);
      const rows = csv.text.split(/\r?\n/).filter((l) => l).map((l) => l.split(','));
      const row = (g, i) => rows.find((r) => r[0] === g && r[1] === i);
      assert.equal(row('squeezes', 'mean')[5], '1.3');
      assert.equal(row('proportion', 'recanalization')[2], '10');
      assert.equal(row('proportion', 'recanalization')[3], '10');
      assert.ok(Math.abs(Number(row('proportion', 'recanalization')[6]) - 0.692) < 0.0005);
      assert.ok(Math.abs(Number(row('proportion', 'complications')[7]) - 0.308) < 0.0005);

      const text = await api.get('/api/v1/registry', { query: { ...query, format: 'text' } });
      assert.equal(text.status, 200);
      assert.match(text.headers.get('content-type'), /^text\/plain/);
      assert.match(text.text, /mean 1\.3, SD 0\.67, median 1, range 1-3/);
      assert.match(text.text, /69\.2-100\.0%/);
      assert.match(text.text, /0\.0-30\.8%/);

      // Operator filter: pushed down to the store and echoed in the report.
      const byOp = await api.get('/api/v1/registry', { query: { ...query, operator: 'op-a' } });
      assert.equal(byOp.status, 200);
      assert.equal(byOp.body.filter.operator, 'op-a');
      assert.equal(byOp.body.procedures, SERIES.filter((r) => r.operator === 'op-a').length);
    });
  });
}
