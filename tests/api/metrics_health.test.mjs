// /healthz, /metrics (Prometheus text: request counters, latency histogram, episodes by phase)
// and the served OpenAPI document, on every backend.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client, openapi } from './lib/openapi.mjs';
import { IMAGING, addDays, createEpisode, postEvent } from './lib/fixtures.mjs';
import { BACKENDS, createToken, freshDb, psql, startServer } from './lib/server.mjs';

// Prometheus text format 0.0.4 -> { types: {name: type}, samples: [{name, labels, value}] }.
function parsePrometheus(text) {
  const types = {};
  const samples = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let m = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (m) { types[m[1]] = m[2]; continue; }
    if (line.startsWith('#')) continue;
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not a Prometheus sample line: ${line}`);
    const labels = {};
    for (const lm of (m[2] || '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[lm[1]] = lm[2];
    const value = m[3] === '+Inf' ? Infinity : Number(m[3]);
    assert.ok(!Number.isNaN(value), line);
    samples.push({ name: m[1], labels, value });
  }
  return { types, samples };
}

const pick = (metrics, name, labels = {}) => metrics.samples.filter(
  (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
const value = (metrics, name, labels) => pick(metrics, name, labels).reduce((a, s) => a + s.value, 0);

for (const backend of BACKENDS) {
  describe(`metrics and health [${backend.name}]`, { skip: backend.skip }, () => {
    let db;
    let server;
    let api;
    const scrape = async () => {
      const r = await api.get('/metrics');
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
      return parsePrometheus(r.body);
    };
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

    test('/healthz: store ok, knowledge version and hash', async () => {
      const r = await api.get('/healthz');
      assert.equal(r.status, 200);
      assert.equal(r.body.status, 'ok');
      assert.equal(r.body.store, 'ok');
      assert.match(r.body.knowledge.sha256, /^[0-9a-f]{64}$/);
      const k = await api.get('/api/v1/knowledge');
      assert.equal(k.body.id, r.body.knowledge.id);
      assert.equal(k.body.version, r.body.knowledge.version);
      assert.equal(k.body.sha256, r.body.knowledge.sha256);
      assert.equal(k.body.default_profile, r.body.knowledge.default_profile);
    });

    test('/api/v1/openapi.json is docs/openapi.json', async () => {
      const r = await api.get('/api/v1/openapi.json');
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, openapi, 'the served document differs from docs/openapi.json (rebuild?)');
      assert.match(r.body.openapi, /^3\./);
    });

    test('/metrics: request counters and latency histogram', async () => {
      const before0 = await scrape();
      const wl = { route: '/api/v1/worklist', method: 'GET' };
      const ok0 = value(before0, 'calfdvt_http_requests_total', { ...wl, status: '2xx' });
      const bad0 = value(before0, 'calfdvt_http_requests_total', { ...wl, status: '4xx' });
      const count0 = value(before0, 'calfdvt_http_request_duration_seconds_count', { route: wl.route });
      for (let i = 0; i < 5; ++i) assert.equal((await api.get('/api/v1/worklist')).status, 200);
      for (let i = 0; i < 3; ++i) assert.equal((await api.get('/api/v1/worklist', { query: { limit: 0 } })).status, 400);
      assert.equal((await api.get('/no/such/route')).status, 404);
      const m = await scrape();
      assert.equal(m.types.calfdvt_http_requests_total, 'counter');
      assert.equal(m.types.calfdvt_http_request_duration_seconds, 'histogram');
      assert.equal(value(m, 'calfdvt_http_requests_total', { ...wl, status: '2xx' }) - ok0, 5);
      assert.equal(value(m, 'calfdvt_http_requests_total', { ...wl, status: '4xx' }) - bad0, 3);
      assert.ok(value(m, 'calfdvt_http_requests_total', { route: '(unmatched)', status: '4xx' }) >= 1,
        'unmatched requests are counted under one label, never their path');
      assert.ok(!m.samples.some((s) => (s.labels.route || '').includes('/no/such')));
      assert.equal(value(m, 'calfdvt_http_request_duration_seconds_count', { route: wl.route }) - count0, 8);

      // Histogram: cumulative buckets ending in +Inf = count, for every route.
      const routes = new Set(pick(m, 'calfdvt_http_request_duration_seconds_bucket').map((s) => s.labels.route));
      assert.ok(routes.has(wl.route));
      for (const route of routes) {
        const buckets = pick(m, 'calfdvt_http_request_duration_seconds_bucket', { route })
          .map((s) => [s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), s.value]);
        assert.ok(buckets.length >= 5, `${route}: buckets`);
        for (let i = 1; i < buckets.length; ++i) {
          assert.ok(buckets[i][0] > buckets[i - 1][0], `${route}: le ascending`);
          assert.ok(buckets[i][1] >= buckets[i - 1][1], `${route}: cumulative`);
        }
        assert.equal(buckets.at(-1)[0], Infinity);
        assert.equal(buckets.at(-1)[1], value(m, 'calfdvt_http_request_duration_seconds_count', { route }));
        assert.ok(value(m, 'calfdvt_http_request_duration_seconds_sum', { route }) >= 0);
      }
    });

    test('/metrics: calfdvt_episodes{phase} follows the episodes', async () => {
      const phases = async () => {
        const m = await scrape();
        if (pick(m, 'calfdvt_episodes').length) assert.equal(m.types.calfdvt_episodes, 'gauge');
        return Object.fromEntries(pick(m, 'calfdvt_episodes').map((s) => [s.labels.phase, s.value]));
      };
      const p0 = await phases();
      const n = (p, phase) => p[phase] ?? 0;
      const a = await createEpisode(api, 'P-METRICS-A');
      const b = await createEpisode(api, 'P-METRICS-B');
      const p1 = await phases();
      assert.equal(n(p1, 'surveillance') - n(p0, 'surveillance'), 2);
      let r = await postEvent(api, a.id, { type: 'scan_result', scan_day: 7, date: addDays(IMAGING, 7), result: 'extended_proximal' });
      assert.equal(r.status, 200, r.text);
      r = await postEvent(api, b.id, { type: 'episode_closed', reason: 'transferred' });
      assert.equal(r.status, 200, r.text);
      const p2 = await phases();
      assert.equal(n(p2, 'surveillance') - n(p0, 'surveillance'), 0);
      assert.equal(n(p2, 'treatment') - n(p0, 'treatment'), 1);
      assert.equal(n(p2, 'closed') - n(p0, 'closed'), 1);
    });

    const pgOnly = backend.name === 'postgresql' ? false : 'PostgreSQL only: its connections are cut under the server';
    test('database connections cut: answers stay documented, the server reconnects', { skip: pgOnly }, async () => {
      const outageDb = freshDb(backend);
      let outage;
      try {
        const token = await createToken(outageDb, 'clinician', 'Dr Outage');
        outage = await startServer(outageDb, { auth: 'tokens' });
        const api = client(outage.url, { token });
        const ep = await createEpisode(api, 'P-OUTAGE');
        const dbName = new URL(outageDb.url).pathname.slice(1);
        const cut = () => psql(outageDb.url.replace(/\/[^/]*$/, '/postgres'),
          `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${dbName}' AND pid <> pg_backend_pid()`);
        cut();
        // Every answer meanwhile is one the document lists (the client checks); within a few
        // requests the store is back.
        let ok = 0;
        for (let i = 0; i < 10 && ok < 3; ++i) {
          const r = await api.get(`/api/v1/episodes/${ep.id}`);
          assert.ok([200, 500, 503].includes(r.status), r.text);
          if (r.status === 200) ++ok;
        }
        assert.equal(ok, 3, 'reads succeed again after the connections were cut');
        cut();
        let health;
        for (let i = 0; i < 10; ++i) {
          health = await api.get('/healthz');
          if (health.status === 200) break;
          assert.equal(health.body.status, 'degraded');
        }
        assert.equal(health.body.store, 'ok');
        let r;
        for (let i = 0; i < 10; ++i) {
          r = await postEvent(api, ep.id, { type: 'episode_closed', reason: 'after reconnect' });
          if (r.status !== 500) break;
        }
        assert.equal(r.status, 200, r.text);
        const got = await api.get(`/api/v1/episodes/${ep.id}`);
        assert.equal(got.body.phase, 'closed');
        assert.equal(got.body.version, 1);
      } finally {
        if (outage) await outage.stop('SIGKILL');
        outageDb.drop();
      }
    });
  });
}
