// Cases, dates and small API helpers shared by the test files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './server.mjs';

const lowRisk = JSON.parse(readFileSync(join(REPO, 'examples', 'gastrocnemius-low-risk.json'), 'utf8'));

// Dates are calendar days (YYYY-MM-DD) in UTC, as the server's clock uses.
export function addDays(date, n) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
export const today = () => new Date().toISOString().slice(0, 10);

// An index imaging date far enough in the past that day-7 and day-14 results (which may not be
// dated after the server's today) can be recorded.
export const IMAGING = addDays(today(), -30);

// examples/gastrocnemius-low-risk.json (muscular-vein thrombus, no risk factor: serial imaging)
// moved to `imaging`, assessed the day after.
export function lowRiskCase(imaging = IMAGING, id = undefined) {
  const c = structuredClone(lowRisk);
  c.imaging.date = imaging;
  c.as_of = addDays(imaging, 1);
  if (id !== undefined) c.id = id;
  return c;
}

// POST /api/v1/episodes: asserts 201 + Location and returns the episode document.
export async function createEpisode(api, patient, kase = lowRiskCase(), opts = {}) {
  const r = await api.post('/api/v1/episodes', kase, { ...opts, query: { patient, ...(opts.query || {}) } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.headers.get('location'), `/api/v1/episodes/${r.body.id}`);
  return r.body;
}

// POST an event; returns the response (not asserted).
export function postEvent(api, id, event, opts) {
  return api.post(`/api/v1/episodes/${encodeURIComponent(id)}/events`, event, opts);
}

// Every worklist item for the query, following next_cursor (bounded).
export async function worklistAll(api, query = {}, maxPages = 200) {
  const items = [];
  let cursor;
  for (let page = 0; page < maxPages; ++page) {
    const r = await api.get('/api/v1/worklist', { query: { ...query, cursor } });
    assert.equal(r.status, 200, r.text);
    items.push(...r.body.items);
    if (!r.body.next_cursor) return items;
    cursor = r.body.next_cursor;
  }
  throw new Error(`worklist still paging after ${maxPages} pages`);
}

// Asserts the event log of an episode document is whole: version = number of events, seqs 1..n.
export function assertContiguous(ep) {
  assert.equal(ep.events.length, ep.version, `episode ${ep.id}: ${ep.events.length} events at version ${ep.version}`);
  ep.events.forEach((e, i) => assert.equal(e.seq, i + 1, `episode ${ep.id}: event ${i} has seq ${e.seq}`));
}

// Runs `worker(i)` for i in [0, n) with at most `width` in flight.
export async function pool(n, width, worker) {
  let next = 0;
  const runners = Array.from({ length: Math.min(width, n) }, async () => {
    while (next < n) {
      const i = next++;
      await worker(i);
    }
  });
  await Promise.all(runners);
}

// A small seeded PRNG (mulberry32) so a failing random kill point can be replayed:
// CALFDVT_TEST_SEED=<seed>.
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const SEED = Number(process.env.CALFDVT_TEST_SEED || (Date.now() % 1_000_000));
