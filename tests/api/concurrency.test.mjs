// Optimistic concurrency: clients append events to the SAME episodes at once, each with the
// expected_version of a fresh GET, retrying on 409. PostgreSQL: two `calfdvt serve` processes on
// one database, the clients alternating between them. SQLite: one server.
// At the end each episode's version equals the number of acknowledged writes to it, its event
// seqs are contiguous, and every acknowledged write sits at the seq it was acknowledged with.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client } from './lib/openapi.mjs';
import { IMAGING, addDays, assertContiguous, createEpisode, postEvent } from './lib/fixtures.mjs';
import { BACKENDS, freshDb, startServer } from './lib/server.mjs';

const EPISODES = 3;
const CLIENTS = 8;
const WRITES_PER_CLIENT = 12;
const MAX_ATTEMPTS = 400;  // per write; bounded retry loop

function assertConflict(r) {
  assert.equal(r.status, 409, r.text);
  assert.equal(r.body.error.code, 'conflict');
  assert.match(r.body.error.message, /retry/i, 'the 409 tells the client to re-read and retry');
}

const booking = (i, note, extra = {}) => ({
  type: 'scan_booked', scan_day: i % 2 ? 14 : 7, date: addDays(IMAGING, (i % 2 ? 12 : 5) + (i % 5)), note, ...extra,
});

for (const backend of BACKENDS) {
  const processes = backend.name === 'postgresql' ? 2 : 1;
  describe(`concurrency [${backend.name}, ${processes} server process${processes > 1 ? 'es' : ''}]`, { skip: backend.skip }, () => {
    let db;
    const servers = [];
    let apis;
    before(async () => {
      db = freshDb(backend);
      // Started one after the other: both migrate the same fresh database.
      for (let i = 0; i < processes; ++i) servers.push(await startServer(db, { args: ['--threads', '4'] }));
      apis = servers.map((s) => client(s.url));
    });
    after(async () => {
      try {
        const exits = await Promise.all(servers.map((s) => s.stop('SIGTERM')));
        for (const e of exits) assert.deepEqual(e, { code: 0, signal: null }, 'graceful exit');
      } finally {
        db?.drop();
      }
    });

    test('a stale expected_version is a 409 that says to retry; nothing is written', async () => {
      const [a, b = a] = apis;
      const ep = await createEpisode(a, 'P-STALE');
      let r = await postEvent(b, ep.id, booking(0, 'first', { expected_version: 0 }));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.version, 1);
      // Another client still holds version 0.
      r = await postEvent(a, ep.id, booking(1, 'stale', { expected_version: 0 }));
      assertConflict(r);
      assert.equal(r.body.error.path, 'expected_version');
      r = await postEvent(a, ep.id, booking(1, 'ahead', { expected_version: 7 }));
      assertConflict(r);
      for (const api of apis) {
        const got = await api.get(`/api/v1/episodes/${ep.id}`);
        assert.equal(got.body.version, 1);
        assert.deepEqual(got.body.events.map((e) => e.event.note), ['first']);
      }
      // Re-read and retry: accepted.
      r = await postEvent(a, ep.id, booking(1, 'retried', { expected_version: 1 }));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.version, 2);
      const audit = await b.get(`/api/v1/episodes/${ep.id}/audit`);
      assert.equal(audit.body.entries.length, 3, 'rejected writes leave no audit entry');
    });

    test(`${CLIENTS} clients x ${WRITES_PER_CLIENT} writes on ${EPISODES} shared episodes lose no event`, async (t) => {
      const episodes = [];
      for (let i = 0; i < EPISODES; ++i) episodes.push((await createEpisode(apis[i % apis.length], `P-SHARED-${i}`)).id);
      const acked = new Map(episodes.map((id) => [id, new Map()]));  // episode -> note -> seq
      let conflicts = 0;
      let attemptsTotal = 0;
      await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
        let turn = c;  // alternates the server for every request
        const next = () => apis[turn++ % apis.length];
        for (let w = 0; w < WRITES_PER_CLIENT; ++w) {
          const id = episodes[(c + w) % EPISODES];
          const note = `c${c}-w${w}`;
          let done = false;
          for (let attempt = 0; attempt < MAX_ATTEMPTS && !done; ++attempt) {
            ++attemptsTotal;
            const got = await next().get(`/api/v1/episodes/${id}`);
            assert.equal(got.status, 200, got.text);
            const version = got.body.version;
            const r = await postEvent(next(), id, booking(c + w, note, { expected_version: version }));
            if (r.status === 409) {
              assertConflict(r);
              ++conflicts;
              continue;
            }
            assert.equal(r.status, 200, r.text);
            assert.equal(r.body.version, version + 1);
            const ev = r.body.events.at(-1);
            assert.equal(ev.event.note, note);
            assert.equal(ev.seq, version + 1);
            acked.get(id).set(note, ev.seq);
            done = true;
          }
          assert.ok(done, `write ${note} not accepted within ${MAX_ATTEMPTS} attempts`);
        }
      }));
      t.diagnostic(`${CLIENTS * WRITES_PER_CLIENT} writes acknowledged after ${attemptsTotal} attempts (${conflicts} conflicts answered 409)`);
      for (const id of episodes) {
        for (const api of apis) {
          const got = await api.get(`/api/v1/episodes/${id}`);
          const ep = got.body;
          assertContiguous(ep);
          assert.equal(ep.version, acked.get(id).size, `episode ${id}: version = acknowledged writes`);
          for (const [note, seq] of acked.get(id)) assert.equal(ep.events[seq - 1].event.note, note, `${note} at seq ${seq}`);
          const audit = await api.get(`/api/v1/episodes/${id}/audit`);
          assert.equal(audit.body.entries.length, ep.version + 1, 'one audit entry per write');
          assert.deepEqual(ep.scans.map((s) => s.booked),
            [7, 14].map((day) => ep.events.filter((e) => e.event.scan_day === day).at(-1)?.event.date ?? null),
            'the projection reflects the last booking of each scan');
        }
      }
      const total = [...acked.values()].reduce((n, m) => n + m.size, 0);
      assert.equal(total, CLIENTS * WRITES_PER_CLIENT);
    });

    test('without expected_version concurrent writes are all applied (the server re-reads; the client retries a 409)', async () => {
      const ep = await createEpisode(apis[0], 'P-LAST-WRITER');
      const notes = [];
      await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
        for (let w = 0; w < 6; ++w) {
          const note = `free-c${c}-w${w}`;
          let ok = false;
          for (let attempt = 0; attempt < MAX_ATTEMPTS && !ok; ++attempt) {
            const r = await postEvent(apis[(c + w + attempt) % apis.length], ep.id, booking(c + w, note));
            if (r.status === 409) { assertConflict(r); continue; }
            assert.equal(r.status, 200, r.text);
            assert.ok(r.body.events.some((e) => e.event.note === note));
            ok = true;
          }
          assert.ok(ok, `write ${note} not accepted within ${MAX_ATTEMPTS} attempts`);
          notes.push(note);
        }
      }));
      const got = await apis.at(-1).get(`/api/v1/episodes/${ep.id}`);
      assertContiguous(got.body);
      assert.equal(got.body.version, notes.length);
      assert.deepEqual(got.body.events.map((e) => e.event.note).sort(), [...notes].sort(), 'each write exactly once');
    });
  });
}
