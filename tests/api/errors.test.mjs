// Error answers of the API, on every backend: JSON {"error":{"code","message","path"}} with the
// right 4xx status and a path naming the offending input.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client } from './lib/openapi.mjs';
import { IMAGING, createEpisode, lowRiskCase, postEvent } from './lib/fixtures.mjs';
import { BACKENDS, freshDb, startServer } from './lib/server.mjs';

const MAX_BODY = 4096;

function assertError(r, status, path, code) {
  assert.equal(r.status, status, r.text);
  assert.equal(typeof r.body.error.message, 'string');
  assert.ok(r.body.error.message.length > 0);
  if (path !== undefined) assert.equal(r.body.error.path, path, r.text);
  if (code !== undefined) assert.equal(r.body.error.code, code, r.text);
}

for (const backend of BACKENDS) {
  describe(`errors [${backend.name}]`, { skip: backend.skip }, () => {
    let db;
    let server;
    let api;
    let episode;
    before(async () => {
      db = freshDb(backend);
      server = await startServer(db, { args: ['--max-body', String(MAX_BODY)] });
      api = client(server.url);
      episode = await createEpisode(api, 'P-ERR');
    });
    after(async () => {
      try {
        if (server) assert.deepEqual(await server.stop('SIGTERM'), { code: 0, signal: null }, 'graceful exit');
      } finally {
        db?.drop();
      }
    });

    test('400 with the JSON path of an invalid case field', async () => {
      const kase = lowRiskCase();
      kase.imaging.thrombi[0].length_cm = -2;
      for (const r of [
        await api.post('/api/v1/assess', kase),
        await api.post('/api/v1/episodes', kase, { query: { patient: 'P-BAD' } }),
      ]) {
        assertError(r, 400, 'imaging.thrombi[0].length_cm', 'invalid_input');
        assert.ok(r.body.errors.some((e) => e.path === 'imaging.thrombi[0].length_cm' && e.rule === 'range'), r.text);
      }
      // Every error is listed; "error" is the first.
      const many = lowRiskCase();
      many.imaging.thrombi[0].length_cm = -2;
      many.patient.age = 'old';
      many.surprise = true;
      const r = await api.post('/api/v1/assess', many);
      assertError(r, 400);
      const paths = r.body.errors.map((e) => e.path);
      for (const p of ['imaging.thrombi[0].length_cm', 'patient.age', 'surprise'])
        assert.ok(paths.includes(p), `${p} in ${paths.join(', ')}`);
      assert.deepEqual(r.body.error, { code: 'invalid_input', path: r.body.errors[0].path, message: r.body.errors[0].message });
      // Nothing was created for the rejected episode.
      const list = await api.get('/api/v1/episodes', { query: { patient: 'P-BAD' } });
      assert.deepEqual(list.body.episodes, []);
    });

    test('400 for malformed JSON, a non-object and an empty body', async () => {
      assertError(await api.request('POST', '/api/v1/assess', { body: '{"format":' }), 400, undefined, 'invalid_input');
      assertError(await api.request('POST', '/api/v1/episodes', { body: '{"format":', query: { patient: 'P' } }), 400);
      assertError(await postEvent(api, episode.id, undefined), 400, 'body');
      assertError(await api.request('POST', `/api/v1/episodes/${episode.id}/events`, { body: '{"type":"scan_booked",' }), 400);
      assertError(await api.request('POST', '/api/v1/assess', { body: '[1,2]' }), 400);
      assertError(await api.request('POST', '/api/v1/assess', { body: '' }), 400, 'body');
    });

    test('400 for invalid events, naming the field', async () => {
      const id = episode.id;
      assertError(await postEvent(api, id, { type: 'scan_rebooked' }), 400, 'type');
      assertError(await postEvent(api, id, { scan_day: 7 }), 400, 'type');
      assertError(await postEvent(api, id, { type: 'scan_booked', scan_day: 7 }), 400, 'date');
      assertError(await postEvent(api, id, { type: 'scan_booked', scan_day: 7, date: '2026-02-30' }), 400, 'date');
      assertError(await postEvent(api, id, { type: 'scan_booked', scan_day: 0, date: IMAGING }), 400, 'scan_day');
      assertError(await postEvent(api, id, { type: 'scan_booked', scan_day: 7, date: IMAGING, result: 'stable' }), 400, 'result');
      assertError(await postEvent(api, id, { type: 'scan_result', scan_day: 7, date: IMAGING, result: 'better' }), 400, 'result');
      assertError(await postEvent(api, id, { type: 'scan_booked', scan_day: 7, date: IMAGING, expected_version: -1 }), 400, 'expected_version');
      assertError(await postEvent(api, id, { type: 'scan_booked', scan_day: 7, date: IMAGING, format: 'calfdvt/event@2' }), 400, 'format');
      assertError(await postEvent(api, id, {
        type: 'scan_result', scan_day: 7, date: IMAGING, result: 'extended_distal',
        findings: [{ vein: 'peroneal', length_cm: -1 }],
      }), 400, 'findings[0].length_cm');
      const got = await api.get(`/api/v1/episodes/${id}`);
      assert.equal(got.body.version, 0, 'no invalid event was recorded');
    });

    test('404 for an unknown route', async () => {
      for (const path of ['/nope', '/api/v1/nope', '/api/v1/episodes/x/y/z', '/api/v2/worklist', '/api/v1/worklist/']) {
        assertError(await api.get(path), 404, undefined, 'not_found');
      }
    });

    test('405 with Allow for a method the route does not take', async () => {
      for (const [method, path] of [
        ['PUT', '/api/v1/worklist'],
        ['DELETE', `/api/v1/episodes/${episode.id}`],
        ['PATCH', '/api/v1/episodes'],
        ['POST', '/healthz'],
        ['GET', '/api/v1/assess'],
        ['GET', `/api/v1/episodes/${episode.id}/events`],
      ]) {
        const r = await api.request(method, path, method === 'GET' ? {} : { json: {} });
        assertError(r, 405, undefined, 'method_not_allowed');
        assert.ok(r.headers.get('allow'), `${method} ${path}: Allow header`);
      }
      const got = await api.get(`/api/v1/episodes/${episode.id}`);
      assert.equal(got.status, 200, 'the episode was not touched');
    });

    test(`413 for a body over --max-body (${MAX_BODY} bytes)`, async () => {
      const big = lowRiskCase();
      big.padding = 'x'.repeat(4 * MAX_BODY);
      for (const path of ['/api/v1/assess', '/api/v1/episodes?patient=P-BIG', `/api/v1/episodes/${episode.id}/events`]) {
        const r = await api.request('POST', path, { body: JSON.stringify(big) });
        assertError(r, 413, undefined, 'body_too_large');
        assert.match(r.body.error.message, new RegExp(String(MAX_BODY)));
      }
      // Without Content-Length (chunked) the limit holds as well.
      const text = JSON.stringify(big);
      const chunks = [text.slice(0, 1000), text.slice(1000, 3000), text.slice(3000)];
      const body = new ReadableStream({
        pull(controller) {
          if (chunks.length) controller.enqueue(new TextEncoder().encode(chunks.shift()));
          else controller.close();
        },
      });
      assertError(await api.request('POST', '/api/v1/assess', { body }), 413, undefined, 'body_too_large');
      // A body within the limit is read and judged on its content.
      const small = lowRiskCase();
      small.padding = 'x';
      const r = await api.post('/api/v1/assess', small);
      assertError(r, 400, 'padding');
      assert.equal((await api.post('/api/v1/assess', lowRiskCase())).status, 200);
      const list = await api.get('/api/v1/episodes', { query: { patient: 'P-BIG' } });
      assert.deepEqual(list.body.episodes, []);
    });

    test('415 for a body that is not JSON', async () => {
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        assertError(await api.request('POST', '/api/v1/assess', { body: JSON.stringify(lowRiskCase()), contentType }), 415, 'Content-Type', 'unsupported_media_type');
        assertError(await api.request('POST', '/api/v1/episodes', { body: JSON.stringify(lowRiskCase()), contentType, query: { patient: 'P-415' } }), 415, 'Content-Type');
        assertError(await api.request('POST', `/api/v1/episodes/${episode.id}/events`, {
          body: JSON.stringify({ type: 'episode_closed', reason: 'x' }), contentType,
        }), 415, 'Content-Type');
      }
      assert.equal((await api.post('/api/v1/assess', lowRiskCase(), { contentType: 'application/json; charset=utf-8' })).status, 200);
      const got = await api.get(`/api/v1/episodes/${episode.id}`);
      assert.equal(got.body.phase, 'surveillance');
    });

    test('bytes that are not UTF-8 in ids and parameters: 404 / 400, never 500, answers stay UTF-8', async () => {
      for (const path of ['/api/v1/episodes/%FF', '/api/v1/episodes/%C3%28', '/api/v1/episodes/%FF/audit']) {
        assertError(await api.get(path), 404, undefined, 'not_found');
      }
      assertError(await api.post('/api/v1/episodes/%FF%FE/events', { type: 'episode_closed', reason: 'x' }), 404, undefined, 'not_found');
      assertError(await api.get('/api/v1/episodes?patient=%FF'), 400, 'patient');
      assertError(await api.post('/api/v1/episodes?patient=%FF%FE', lowRiskCase()), 400, 'patient');
      assertError(await api.post('/api/v1/episodes?patient=ok&profile=%FF', lowRiskCase()), 400, 'profile');
      assertError(await api.post('/api/v1/assess?profile=%E2%82', lowRiskCase()), 400, 'profile');
      assertError(await api.get('/api/v1/worklist?status=due,%FF'), 400, 'status');
      assertError(await api.get('/api/v1/worklist?cursor=%FF'), 400, 'cursor');
      // Patient identifiers in any script are fine.
      const patient = 'Zoë Ωμέγα-李-🩺';
      const ep = await createEpisode(api, patient);
      assert.equal(ep.patient_id, patient);
      const list = await api.get('/api/v1/episodes', { query: { patient } });
      assert.deepEqual(list.body.episodes.map((e) => e.id), [ep.id]);
      assert.equal(list.body.patient_id, patient);
    });

    test('400 naming the query parameter for bad as_of, status, limit, patient, profile', async () => {
      const id = episode.id;
      for (const asOf of ['2026-02-30', 'tomorrow', '2026-1-1', '']) {
        assertError(await api.get('/api/v1/worklist', { query: { as_of: asOf } }), 400, 'as_of');
        assertError(await api.get(`/api/v1/episodes/${id}`, { query: { as_of: asOf } }), 400, 'as_of');
        assertError(await api.get('/api/v1/episodes', { query: { patient: 'P-ERR', as_of: asOf } }), 400, 'as_of');
      }
      for (const status of ['bogus', 'due,soon', 'DUE']) {
        const r = await api.get('/api/v1/worklist', { query: { status } });
        assertError(r, 400, 'status');
      }
      for (const limit of ['0', '501', 'abc', '-1', '2.5', '10x', '']) {
        assertError(await api.get('/api/v1/worklist', { query: { limit } }), 400, 'limit');
      }
      assertError(await api.get('/api/v1/episodes', { query: { patient: 'p'.repeat(129) } }), 400, 'patient');
      assertError(await api.post('/api/v1/episodes', lowRiskCase(), { query: { patient: 'p'.repeat(129) } }), 400, 'patient');
      assertError(await api.post('/api/v1/episodes', lowRiskCase(), { query: { patient: 'P', profile: 'nope' } }), 400, 'profile');
      // No patient in the query nor in the case.
      const anonymous = lowRiskCase();
      delete anonymous.id;
      assertError(await api.post('/api/v1/episodes', anonymous), 400, 'patient');
      assertError(await api.post('/api/v1/episodes', anonymous, { query: { patient: '' } }), 400, 'patient');
      for (const [status, limit] of [['alert,overdue,due,upcoming', '1'], ['upcoming', '500'], ['alerts', '50']]) {
        const r = await api.get('/api/v1/worklist', { query: { status, limit } });
        assert.equal(r.status, 200, r.text);
      }
    });
  });
}
