// Surveillance episodes through the real HTTP API (clinical-spec §6), on every backend:
// create -> worklist due/overdue -> extension -> anticoagulate now; stable/stable; resolved;
// cancellations; 404; listing; audit; worklist pagination.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client } from './lib/openapi.mjs';
import {
  IMAGING, addDays, createEpisode, lowRiskCase, postEvent, worklistAll,
} from './lib/fixtures.mjs';
import { BACKENDS, freshDb, startServer } from './lib/server.mjs';

const scan = (ep, day) => ep.scans.find((s) => s.day === day);
const itemsFor = (items, id) => items.filter((i) => i.episode_id === id);

for (const backend of BACKENDS) {
  describe(`episodes [${backend.name}]`, { skip: backend.skip }, () => {
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

    test('stateless assessment and knowledge', async () => {
      const r = await api.post('/api/v1/assess', lowRiskCase());
      assert.equal(r.status, 200);
      assert.equal(r.body.format, 'calfdvt/assessment@1');
      assert.equal(r.body.strategy, 'serial_imaging');
      const k = await api.get('/api/v1/knowledge');
      assert.equal(k.status, 200);
      assert.ok(k.body.profiles.some((p) => p.id === k.body.default_profile));
      const chest = await api.post('/api/v1/assess', lowRiskCase(), { query: { profile: 'chest' } });
      assert.equal(chest.status, 200);
      const bad = await api.post('/api/v1/assess', lowRiskCase(), { query: { profile: 'nope' } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.path, 'profile');
    });

    test('done-when: day-7 scan due then overdue; extended_proximal -> anticoagulate now', async () => {
      const ep = await createEpisode(api, 'P-FLOW');
      assert.equal(ep.phase, 'surveillance');
      assert.equal(ep.strategy, 'serial_imaging');
      assert.equal(ep.version, 0);
      assert.equal(ep.imaging_date, IMAGING);
      assert.deepEqual(ep.scans.map((s) => s.day), [7, 14]);
      const day7 = scan(ep, 7);
      assert.equal(day7.due, addDays(IMAGING, 7));
      const [start, end] = day7.window;
      assert.ok(start <= day7.due && day7.due <= end);

      // Worklist as of before / inside / after the day-7 window.
      const cases = [
        [addDays(start, -1), undefined, 'upcoming'],
        [start, 'due', 'due'],
        [day7.due, 'due', 'due'],
        [end, 'due', 'due'],
        [addDays(end, 1), 'overdue', 'overdue'],
      ];
      for (const [asOf, onWorklist, episodeStatus] of cases) {
        const items = itemsFor(await worklistAll(api, { as_of: asOf }), ep.id);
        const scanItems = items.filter((i) => i.kind === 'scan' && i.scan.day === 7);
        if (onWorklist === undefined) {
          assert.equal(scanItems.length, 0, `as_of ${asOf}: day-7 scan must not be on the worklist`);
        } else {
          assert.equal(scanItems.length, 1, `as_of ${asOf}: day-7 scan on the worklist once`);
          assert.equal(scanItems[0].scan.status, onWorklist, `as_of ${asOf}`);
          assert.equal(scanItems[0].rank, onWorklist === 'overdue' ? 1 : 2);
          assert.equal(scanItems[0].severity, onWorklist === 'overdue' ? 'critical' : 'warning');
          if (onWorklist === 'overdue') assert.equal(scanItems[0].alert.code, 'followup_overdue');
        }
        // No scan booked yet: the standing critical alert is on the worklist whatever the date.
        assert.ok(items.some((i) => i.kind === 'alert' && i.alert.code === 'untreated_without_followup'));
        const got = await api.get(`/api/v1/episodes/${ep.id}`, { query: { as_of: asOf } });
        assert.equal(got.status, 200);
        assert.equal(got.body.as_of, asOf);
        assert.equal(scan(got.body, 7).status, episodeStatus, `episode as_of ${asOf}`);
        assert.equal(got.body.alerts.some((a) => a.code === 'followup_overdue'), episodeStatus === 'overdue');
      }
      // The upcoming scan is listed on request.
      const upcoming = itemsFor(await worklistAll(api, { as_of: addDays(start, -1), status: 'upcoming' }), ep.id);
      assert.ok(upcoming.some((i) => i.kind === 'scan' && i.scan.day === 7 && i.scan.status === 'upcoming'));

      // Booking the scan clears untreated_without_followup.
      let r = await postEvent(api, ep.id, { type: 'scan_booked', scan_day: 7, date: day7.due });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.version, 1);
      assert.equal(scan(r.body, 7).booked, day7.due);
      assert.ok(!r.body.alerts.some((a) => a.code === 'untreated_without_followup'));
      let items = itemsFor(await worklistAll(api, { as_of: day7.due }), ep.id);
      assert.ok(!items.some((i) => i.kind === 'alert'));
      assert.equal(items.find((i) => i.kind === 'scan').scan.booked, day7.due);

      // extended_proximal -> the proximal DVT pathway: anticoagulate now.
      r = await postEvent(api, ep.id, {
        type: 'scan_result', scan_day: 7, date: day7.due, result: 'extended_proximal', expected_version: 1,
      });
      assert.equal(r.status, 200, r.text);
      const treated = r.body;
      assert.equal(treated.version, 2);
      assert.equal(treated.phase, 'treatment');
      assert.equal(treated.strategy, 'proximal_dvt_pathway');
      assert.equal(treated.classification, 'proximal');
      assert.equal(treated.anticoagulated, false);
      assert.equal(scan(treated, 7).status, 'completed');
      assert.equal(scan(treated, 7).result, 'extended_proximal');
      assert.equal(scan(treated, 14).status, 'cancelled');
      const a = treated.assessment;
      assert.equal(a.strategy, 'proximal_dvt_pathway');
      assert.equal(a.strength, 'strong');
      assert.equal(a.recommendation.rule, 'R8');
      assert.match(a.recommendation.label, /anticoagulate/i);
      assert.ok(a.regimen, 'an anticoagulation regimen');
      assert.equal(a.surveillance ?? null, null, 'no more surveillance');
      assert.ok(a.trace.some((t) => /extended_proximal .*proximal_dvt_pathway now/.test(t)), a.trace.join('\n'));
      const detected = a.alerts.find((x) => x.code === 'extension_detected');
      assert.ok(detected, 'assessment alert extension_detected');
      assert.equal(detected.severity, 'critical');
      assert.equal(treated.assessments.length, 2);
      assert.equal(treated.assessments[1].seq, 2);
      assert.deepEqual(treated.events.map((e) => [e.seq, e.type, e.reassessed]),
        [[1, 'scan_booked', false], [2, 'scan_result', true]]);
      assert.ok(treated.alerts.some((x) => x.code === 'extension_untreated' && x.severity === 'critical'));

      // Critical extension_untreated on the worklist until anticoagulation is recorded.
      for (const asOf of [day7.due, addDays(IMAGING, 25)]) {
        items = itemsFor(await worklistAll(api, { as_of: asOf }), ep.id);
        assert.deepEqual(items.map((i) => [i.rank, i.kind, i.severity, i.alert?.code]),
          [[0, 'alert', 'critical', 'extension_untreated']], `as_of ${asOf}`);
        assert.equal(items[0].phase, 'treatment');
      }
      r = await postEvent(api, ep.id, { type: 'anticoagulation_started', date: day7.due, agent: 'doac' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.anticoagulated, true);
      assert.equal(r.body.phase, 'treatment');
      assert.deepEqual(r.body.alerts, []);
      items = itemsFor(await worklistAll(api, { as_of: addDays(IMAGING, 25), status: 'alert,overdue,due,upcoming' }), ep.id);
      assert.deepEqual(items, []);
      // The stored episode reads back the same.
      const again = await api.get(`/api/v1/episodes/${ep.id}`, { query: { as_of: r.body.as_of } });
      assert.deepEqual(again.body, r.body);
    });

    test('stable at day 7 then day 14 -> completed, no anticoagulation', async () => {
      const ep = await createEpisode(api, 'P-STABLE');
      let r = await postEvent(api, ep.id, { type: 'scan_result', scan_day: 7, date: addDays(IMAGING, 7), result: 'stable' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.phase, 'surveillance');
      assert.equal(r.body.strategy, 'serial_imaging');
      assert.equal(scan(r.body, 7).status, 'completed');
      r = await postEvent(api, ep.id, { type: 'scan_result', scan_day: 14, date: addDays(IMAGING, 14), result: 'stable' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.phase, 'completed');
      assert.match(r.body.phase_reason, /stable/);
      assert.equal(r.body.anticoagulated, false);
      assert.equal(r.body.assessments.length, 1, 'no re-assessment');
      assert.deepEqual(r.body.scans.map((s) => s.status), ['completed', 'completed']);
      assert.deepEqual(r.body.alerts, []);
      const items = itemsFor(await worklistAll(api, { as_of: addDays(IMAGING, 20), status: 'alert,overdue,due,upcoming' }), ep.id);
      assert.deepEqual(items, [], 'a completed episode leaves the worklist');
    });

    test('resolved at day 7 -> completed, day-14 scan cancelled "resolved"', async () => {
      const ep = await createEpisode(api, 'P-RESOLVED');
      const r = await postEvent(api, ep.id, { type: 'scan_result', scan_day: 7, date: addDays(IMAGING, 6), result: 'resolved' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.phase, 'completed');
      assert.equal(scan(r.body, 7).performed, addDays(IMAGING, 6));
      assert.equal(scan(r.body, 14).status, 'cancelled');
      assert.equal(scan(r.body, 14).cancel_reason, 'resolved');
      assert.deepEqual(r.body.alerts, []);
      // Nothing more can be recorded for the cancelled scan.
      const late = await postEvent(api, ep.id, { type: 'scan_result', scan_day: 14, date: addDays(IMAGING, 14), result: 'stable' });
      assert.equal(late.status, 422);
      assert.equal(late.body.error.code, 'episode_state');
    });

    test('cancellations: reason required; a result for a cancelled scan is 422', async () => {
      const ep = await createEpisode(api, 'P-CANCEL');
      const noReason = await postEvent(api, ep.id, { type: 'scan_cancelled', scan_day: 7 });
      assert.ok([400, 422].includes(noReason.status), noReason.text);
      assert.equal(noReason.body.error.path, 'reason');
      const blank = await postEvent(api, ep.id, { type: 'scan_cancelled', scan_day: 7, reason: '  ' });
      assert.ok([400, 422].includes(blank.status), blank.text);
      assert.equal(blank.body.error.path, 'reason');

      let r = await postEvent(api, ep.id, { type: 'scan_cancelled', scan_day: 7, reason: 'patient declined' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.version, 1, 'rejected events are not recorded');
      assert.equal(scan(r.body, 7).status, 'cancelled');
      assert.equal(scan(r.body, 7).cancel_reason, 'patient declined');
      assert.ok(r.body.alerts.some((a) => a.code === 'scan_cancelled_untreated' && a.severity === 'critical'));
      const items = itemsFor(await worklistAll(api, { as_of: addDays(IMAGING, 7) }), ep.id);
      assert.ok(items.some((i) => i.kind === 'alert' && i.alert.code === 'scan_cancelled_untreated'));

      r = await postEvent(api, ep.id, { type: 'scan_result', scan_day: 7, date: addDays(IMAGING, 7), result: 'stable' });
      assert.equal(r.status, 422, r.text);
      assert.equal(r.body.error.code, 'episode_state');
      assert.equal(r.body.error.path, 'scan_day');
      assert.match(r.body.error.message, /cancelled/);
      const unknownDay = await postEvent(api, ep.id, { type: 'scan_booked', scan_day: 9, date: addDays(IMAGING, 9) });
      assert.equal(unknownDay.status, 422, unknownDay.text);
      const future = await postEvent(api, ep.id, { type: 'scan_result', scan_day: 14, date: addDays(IMAGING, 400), result: 'stable' });
      assert.ok([400, 422].includes(future.status), future.text);
      assert.equal(future.body.error.path, 'date');
      const got = await api.get(`/api/v1/episodes/${ep.id}`);
      assert.equal(got.body.version, 1);
    });

    test('404 for an unknown episode', async () => {
      const id = '00000000-0000-4000-8000-000000000000';
      for (const r of [
        await api.get(`/api/v1/episodes/${id}`),
        await api.get(`/api/v1/episodes/${id}/audit`),
        await postEvent(api, id, { type: 'scan_booked', scan_day: 7, date: IMAGING }),
        await api.get('/api/v1/episodes/no-such-episode'),
      ]) {
        assert.equal(r.status, 404, r.text);
        assert.equal(r.body.error.code, 'not_found');
      }
    });

    test('list by patient', async () => {
      const first = await createEpisode(api, 'P-LIST');
      const second = await createEpisode(api, 'P-LIST', lowRiskCase(addDays(IMAGING, 1)));
      await createEpisode(api, 'P-OTHER');
      const r = await api.get('/api/v1/episodes', { query: { patient: 'P-LIST', as_of: addDays(IMAGING, 8) } });
      assert.equal(r.status, 200);
      assert.equal(r.body.patient_id, 'P-LIST');
      assert.deepEqual(new Set(r.body.episodes.map((e) => e.id)), new Set([first.id, second.id]));
      for (const e of r.body.episodes) {
        assert.equal(e.patient_id, 'P-LIST');
        assert.equal(e.as_of, addDays(IMAGING, 8));
      }
      const none = await api.get('/api/v1/episodes', { query: { patient: 'P-NOBODY' } });
      assert.equal(none.status, 200);
      assert.deepEqual(none.body.episodes, []);
      // The case's id is the patient when the query names none.
      const byCase = await createEpisode(api, undefined, lowRiskCase(IMAGING, 'P-FROM-CASE'));
      assert.equal(byCase.patient_id, 'P-FROM-CASE');
      const missing = await api.get('/api/v1/episodes');
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error.path, 'patient');
    });

    test('audit: an entry with actor and action for every write', async () => {
      const ep = await createEpisode(api, 'P-AUDIT');
      const events = [
        { type: 'scan_booked', scan_day: 7, date: addDays(IMAGING, 7) },
        { type: 'scan_booked', scan_day: 7, date: addDays(IMAGING, 8), note: 'moved' },
        { type: 'scan_result', scan_day: 7, date: addDays(IMAGING, 8), result: 'stable' },
        { type: 'anticoagulation_started', date: addDays(IMAGING, 9), agent: 'lmwh' },
        { type: 'anticoagulation_stopped', date: addDays(IMAGING, 20), reason: 'course completed' },
        { type: 'episode_closed', reason: 'discharged' },
      ];
      for (const e of events) {
        const r = await postEvent(api, ep.id, e);
        assert.equal(r.status, 200, r.text);
      }
      // A rejected write leaves no trace.
      const rejected = await postEvent(api, ep.id, { type: 'episode_closed', reason: 'again' });
      assert.equal(rejected.status, 422);
      const r = await api.get(`/api/v1/episodes/${ep.id}/audit`);
      assert.equal(r.status, 200);
      assert.equal(r.body.episode_id, ep.id);
      assert.deepEqual(r.body.entries.map((e) => e.action),
        ['episode.create', ...events.map((e) => `event.${e.type}`)]);
      for (const e of r.body.entries) {
        assert.equal(e.actor, 'demo', 'open mode acts as "demo"');
        assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
      }
      const ids = r.body.entries.map((e) => e.id);
      assert.deepEqual(ids, [...ids].sort((x, y) => x - y), 'write order');
      const got = await api.get(`/api/v1/episodes/${ep.id}`);
      assert.equal(got.body.phase, 'closed');
      assert.equal(got.body.version, events.length);
      assert.ok(got.body.events.every((e) => e.actor === 'demo'));
      assert.equal(got.body.events[1].event.note, 'moved');
    });

    test('worklist pagination: every item exactly once; bad cursor -> 400', async () => {
      const imaging = addDays(IMAGING, -3);
      for (let i = 0; i < 6; ++i) await createEpisode(api, `P-PAGE-${i}`, lowRiskCase(imaging));
      const asOf = addDays(imaging, 7);
      const query = { as_of: asOf, status: 'alert,overdue,due,upcoming' };
      const whole = await api.get('/api/v1/worklist', { query: { ...query, limit: 500 } });
      assert.equal(whole.status, 200);
      assert.equal(whole.body.next_cursor, null);
      const total = whole.body.items.length;
      assert.ok(total > 12, `at least two items per new episode (got ${total})`);
      const key = (i) => `${i.episode_id}|${i.kind}|${i.alert?.code ?? ''}|${i.scan?.day ?? ''}`;
      const limit = 5;
      const seen = [];
      let cursor;
      let pages = 0;
      for (; pages < 100; ++pages) {
        const r = await api.get('/api/v1/worklist', { query: { ...query, limit, cursor } });
        assert.equal(r.status, 200);
        assert.ok(r.body.items.length <= limit);
        seen.push(...r.body.items);
        cursor = r.body.next_cursor;
        if (!cursor) break;
      }
      assert.equal(pages + 1, Math.ceil(total / limit), 'pages');
      assert.deepEqual(seen.map(key), whole.body.items.map(key), 'pages concatenate to the whole list, in order');
      assert.equal(new Set(seen.map(key)).size, seen.length, 'no item twice');
      const ranks = seen.map((i) => i.rank);
      assert.deepEqual(ranks, [...ranks].sort((x, y) => x - y), 'urgency order');
      for (let i = 0; i < 6; ++i) {
        const mine = whole.body.items.filter((it) => it.patient_id === `P-PAGE-${i}`);
        assert.deepEqual(mine.map((it) => [it.kind, it.alert?.code, it.scan?.day, it.scan?.status]), [
          ['alert', 'untreated_without_followup', undefined, undefined],
          ['scan', undefined, 7, 'due'],
          ['scan', undefined, 14, 'upcoming'],
        ]);
      }
      for (const bad of ['not-a-cursor', 'dzF8MHwy', '%%%']) {
        const r = await api.get('/api/v1/worklist', { query: { ...query, limit, cursor: bad } });
        assert.equal(r.status, 400, `cursor ${bad}: ${r.text}`);
        assert.equal(r.body.error.path, 'cursor');
      }
    });
  });
}
