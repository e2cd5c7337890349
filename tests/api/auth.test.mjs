// Authentication and roles, on every backend: bearer tokens from `calfdvt token create` (stored
// hashed), 401 / 403, the actor in the audit trail; open mode refused beyond loopback; the
// loopback demo mode of the README's first command.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { client } from './lib/openapi.mjs';
import { IMAGING, addDays, createEpisode, lowRiskCase, postEvent, worklistAll } from './lib/fixtures.mjs';
import { BACKENDS, BIN, createToken, freshDb, psql, runCli, startServer } from './lib/server.mjs';

const sha256 = (s) => createHash('sha256').update(s).digest('hex');

function assert401(r) {
  assert.equal(r.status, 401, r.text);
  assert.equal(r.body.error.code, 'unauthenticated');
  assert.equal(r.body.error.path, 'Authorization');
  assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer\b/);
}

function assert403(r) {
  assert.equal(r.status, 403, r.text);
  assert.equal(r.body.error.code, 'forbidden');
  assert.match(r.body.error.message, /clinician/);
}

for (const backend of BACKENDS) {
  describe(`auth [${backend.name}]`, { skip: backend.skip }, () => {
    const dbs = [];
    const servers = [];
    const db = () => { const d = freshDb(backend); dbs.push(d); return d; };
    const start = async (...a) => { const s = await startServer(...a); servers.push(s); return s; };
    after(async () => {
      try {
        await Promise.all(servers.map((s) => s.stop('SIGKILL')));
      } finally {
        for (const d of dbs) d.drop();
      }
    });

    describe('tokens', () => {
      let tokensDb;
      let server;
      const secrets = {};
      const labels = { viewer: 'Viewer Vera', clinician: 'Dr Clinician', admin: 'Admin Ada' };
      before(async () => {
        tokensDb = db();
        for (const role of Object.keys(labels)) secrets[role] = await createToken(tokensDb, role, labels[role]);
        server = await start(tokensDb, { auth: 'tokens' });
      });

      test('token create prints a secret and stores only its SHA-256', async () => {
        const all = Object.values(secrets);
        assert.equal(new Set(all).size, 3);
        for (const s of all) assert.match(s, /^cdvt_\S{20,}$/);
        let stored;
        if (backend.name === 'sqlite') {
          stored = [tokensDb.path, `${tokensDb.path}-wal`].filter(existsSync)
            .map((p) => readFileSync(p).toString('latin1')).join('\n');
        } else {
          stored = psql(tokensDb.url, 'SELECT id, hash, role, label FROM api_tokens');
        }
        for (const s of all) {
          assert.ok(!stored.includes(s), 'the secret is not stored');
          assert.ok(!stored.includes(s.slice(5)), 'not even without its prefix');
          assert.ok(stored.includes(sha256(s)), 'its SHA-256 is');
        }
        for (const [args, why] of [
          [['--role', 'superuser', '--label', 'X'], /role/],
          [['--role', 'viewer', '--label', ''], /label/],
        ]) {
          const r = await runCli(['token', 'create', '--db', tokensDb.url, ...args]);
          assert.equal(r.code, 2, r.stderr);
          assert.match(r.stderr, why);
          assert.equal(r.stdout, '');
        }
      });

      test('no token or a bad token -> 401 with WWW-Authenticate', async () => {
        const api = client(server.url);
        const health = await api.get('/healthz');
        assert.equal(health.status, 200);
        assert.equal(health.body.auth, 'tokens');
        assert.equal((await api.get('/api/v1/openapi.json')).status, 200, 'the contract is public');
        assert.equal((await api.get('/metrics')).status, 200);
        for (const token of [undefined, '', 'cdvt_not-a-real-token', 'garbage', `${secrets.clinician}x`]) {
          const c = client(server.url, { token });
          assert401(await c.get('/api/v1/worklist'));
          assert401(await c.get('/api/v1/knowledge'));
          assert401(await c.post('/api/v1/assess', lowRiskCase()));
          assert401(await c.post('/api/v1/episodes', lowRiskCase(), { query: { patient: 'P-401' } }));
          assert401(await c.get('/api/v1/episodes', { query: { patient: 'P-401' } }));
        }
        for (const header of [`Basic ${Buffer.from('a:b').toString('base64')}`, secrets.clinician, 'Bearer']) {
          assert401(await api.get('/api/v1/worklist', { headers: { authorization: header } }));
        }
        // The bearer scheme is case-insensitive.
        const r = await api.get('/api/v1/worklist', { headers: { authorization: `bearer ${secrets.viewer}` } });
        assert.equal(r.status, 200, r.text);
        const none = await client(server.url, { token: secrets.viewer }).get('/api/v1/episodes', { query: { patient: 'P-401' } });
        assert.deepEqual(none.body.episodes, [], 'nothing was written without a token');
      });

      test('roles: a viewer reads and assesses but cannot write; clinician and admin write', async () => {
        const viewer = client(server.url, { token: secrets.viewer });
        const clinician = client(server.url, { token: secrets.clinician });
        const admin = client(server.url, { token: secrets.admin });

        assert.equal((await viewer.post('/api/v1/assess', lowRiskCase())).status, 200);
        assert.equal((await viewer.get('/api/v1/knowledge')).status, 200);
        assert403(await viewer.post('/api/v1/episodes', lowRiskCase(), { query: { patient: 'P-ROLE' } }));

        const ep = await createEpisode(clinician, 'P-ROLE');
        assert.equal(ep.created_by.includes(labels.clinician), true, ep.created_by);
        assert403(await postEvent(viewer, ep.id, { type: 'scan_booked', scan_day: 7, date: addDays(IMAGING, 7) }));
        let r = await postEvent(clinician, ep.id, { type: 'scan_booked', scan_day: 7, date: addDays(IMAGING, 7) });
        assert.equal(r.status, 200, r.text);
        r = await postEvent(admin, ep.id, { type: 'scan_booked', scan_day: 7, date: addDays(IMAGING, 8) });
        assert.equal(r.status, 200, r.text);

        // The viewer reads all of it.
        const got = await viewer.get(`/api/v1/episodes/${ep.id}`);
        assert.equal(got.status, 200);
        assert.equal(got.body.version, 2);
        assert.equal((await viewer.get('/api/v1/episodes', { query: { patient: 'P-ROLE' } })).body.episodes.length, 1);
        assert.ok((await worklistAll(viewer, { as_of: addDays(IMAGING, 7) })).some((i) => i.episode_id === ep.id));

        // The actor of every write is the token's holder.
        const audit = await viewer.get(`/api/v1/episodes/${ep.id}/audit`);
        assert.equal(audit.status, 200);
        assert.deepEqual(audit.body.entries.map((e) => e.action), ['episode.create', 'event.scan_booked', 'event.scan_booked']);
        const actors = audit.body.entries.map((e) => e.actor);
        assert.ok(actors[0].startsWith(labels.clinician), actors[0]);
        assert.ok(actors[1].startsWith(labels.clinician), actors[1]);
        assert.ok(actors[2].startsWith(labels.admin), actors[2]);
        assert.ok(!actors.some((a) => a.includes('cdvt_')), 'no secret in the audit trail');
        assert.deepEqual(got.body.events.map((e) => e.actor), actors.slice(1));
      });

      test('token labels: any script, but UTF-8 only (they become the actor in JSON answers)', async () => {
        const secret = await createToken(tokensDb, 'clinician', 'Dr Müller-Łukasz 医生');
        const ep = await createEpisode(client(server.url, { token: secret }), 'P-LABEL');
        assert.ok(ep.created_by.startsWith('Dr Müller-Łukasz 医生'), ep.created_by);
        // A Latin-1 "ü" (byte 0xFC) from a non-UTF-8 terminal: refused.
        const r = spawnSync('/bin/sh', ['-c', `"$0" token create --db "$1" --role viewer --label "$(printf 'Dr M\\374ller')"`,
          BIN, tokensDb.url], { encoding: 'latin1', timeout: 20_000 });
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /label/);
        assert.equal(r.stdout, '');
      });

      test('a token created while the server runs works at once', async () => {
        const late = await createToken(tokensDb, 'clinician', 'Dr Late');
        const r = await client(server.url, { token: late }).post('/api/v1/episodes', lowRiskCase(), { query: { patient: 'P-LATE' } });
        assert.equal(r.status, 201, r.text);
        assert.ok(r.body.created_by.startsWith('Dr Late'));
      });

      test('with tokens the server may listen beyond loopback', async () => {
        const wide = await start(tokensDb, { auth: 'tokens', listen: '0.0.0.0:0' });
        const port = new URL(wide.url).port;
        const api = client(`http://127.0.0.1:${port}`);
        assert401(await api.get('/api/v1/worklist'));
        assert.equal((await api.get('/api/v1/worklist', { token: secrets.viewer })).status, 200);
        assert.deepEqual(await wide.stop('SIGTERM'), { code: 0, signal: null });
      });

      test('open mode beyond loopback is refused at start (exit 2)', async () => {
        for (const args of [
          ['--no-auth', '--listen', '0.0.0.0:0'],
          ['--demo', '--listen', '0.0.0.0:0'],
          ['--no-auth', '--listen', '[::]:0'],
        ]) {
          const r = await runCli(['serve', '--db', tokensDb.url, ...args]);
          assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
          assert.match(r.stderr, /refusing to listen .* without authentication/);
          assert.doesNotMatch(r.stdout, /listening on/);
        }
      });
    });

    test('loopback demo mode (README quick start): demo data, no tokens, /healthz says open', async () => {
      const d = db();
      const demo = await start(d, { auth: 'demo' });
      assert.match(demo.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(demo.stderr(), /DEMO MODE/);
      const api = client(demo.url);
      const health = await api.get('/healthz');
      assert.equal(health.status, 200);
      assert.equal(health.body.status, 'ok');
      assert.match(health.body.auth, /open/);
      const items = await worklistAll(api);
      assert.ok(items.length > 0, 'the demo worklist is not empty');
      assert.ok(items.every((i) => i.patient_id.startsWith('DEMO-')));
      const list = await api.get('/api/v1/episodes', { query: { patient: 'DEMO-001' } });
      assert.equal(list.status, 200);
      assert.ok(list.body.episodes.length >= 1);
      const ep = await createEpisode(api, 'P-DEMO');
      assert.equal(ep.created_by, 'demo');
      // Restarting on the same database does not seed twice.
      assert.deepEqual(await demo.stop('SIGTERM'), { code: 0, signal: null });
      const again = await start(d, { auth: 'demo' });
      const list2 = await client(again.url).get('/api/v1/episodes', { query: { patient: 'DEMO-001' } });
      assert.deepEqual(list2.body.episodes.map((e) => e.id), list.body.episodes.map((e) => e.id));
      assert.deepEqual(await again.stop('SIGTERM'), { code: 0, signal: null });
    });
  });
}
