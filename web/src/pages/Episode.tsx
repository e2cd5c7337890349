// One surveillance episode (GET /api/v1/episodes/{id}?as_of=): phase, alerts, scans with their
// statuses, the current assessment, actions, and the timeline (assessments, events,
// re-assessments) beside the audit trail (GET .../audit).
import { useEffect, useState } from 'preact/hooks';
import { api, today, type ApiError, type AuditEntry, type Episode } from '../api';
import { Alerts, Badge, ErrorBanner, Field, Select } from '../ui';
import { AGENTS, humanize } from '../vocab';
import { AssessmentView } from './AssessmentView';
import { ScanActions } from './ScanActions';

function describeEvent(ev: Record<string, unknown>): string {
  const parts = [humanize(String(ev.type))];
  if (ev.scan_day !== undefined) parts.push(`day ${ev.scan_day}`);
  if (ev.result) parts.push(`result ${humanize(String(ev.result))}`);
  if (ev.date) parts.push(`on ${ev.date}`);
  if (ev.agent) parts.push(`agent ${humanize(String(ev.agent))}`);
  if (ev.reason) parts.push(`reason “${ev.reason}”`);
  return parts.join(', ');
}

function OtherActions({ ep, onDone }: { ep: Episode; onDone: (e: Episode) => void }) {
  const [mode, setMode] = useState<'ac' | 'close' | null>(null);
  const [date, setDate] = useState(today());
  const [agent, setAgent] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [msg, setMsg] = useState<string | undefined>();
  async function submit(e: Event) {
    e.preventDefault();
    const ev = mode === 'ac' ? { type: 'anticoagulation_started', date, ...(agent ? { agent } : {}) } : { type: 'episode_closed', reason };
    const r = await api.event(ep.id, ev);
    if (r.ok) { setMode(null); setErrors([]); setMsg(undefined); onDone(r.data!); } else { setErrors(r.errors.map((x) => ({ ...x, path: `ep.${x.path}` }))); setMsg(r.message); }
  }
  return (
    <div class="scan-actions">
      <div class="btn-row">
        <button type="button" class="btn-secondary" aria-expanded={mode === 'ac'} onClick={() => setMode(mode === 'ac' ? null : 'ac')}>Record anticoagulation started</button>
        <button type="button" class="btn-secondary" aria-expanded={mode === 'close'} onClick={() => setMode(mode === 'close' ? null : 'close')}>Close episode</button>
      </div>
      {mode && (
        <form class="inline-form" onSubmit={submit} noValidate>
          {mode === 'ac' ? <>
            <Field path="ep.date" label="Started on" kind="date" value={date} onInput={setDate} errors={errors} width="narrow" />
            <Select path="ep.agent" label="Agent" options={AGENTS} empty="Not recorded" value={agent} onInput={setAgent} errors={errors} />
          </> : <Field path="ep.reason" label="Reason" value={reason} onInput={setReason} errors={errors} required width="wide" />}
          <button type="submit" class="btn-primary">Save</button>
          {msg && <div class="field-error" role="alert">{msg}</div>}
        </form>
      )}
    </div>
  );
}

export function EpisodePage({ id }: { id: string }) {
  const [asOf, setAsOf] = useState(today());
  const [ep, setEp] = useState<Episode | null>(null);
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const [err, setErr] = useState<string | undefined>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    api.episode(id, asOf).then((r) => { if (r.ok) { setEp(r.data!); setErr(undefined); } else setErr(r.message); });
    api.audit(id).then((r) => r.ok && setAudit(r.data!.entries));
  }, [id, asOf, tick]);
  if (err) return <ErrorBanner message={err} />;
  if (!ep) return <p class="muted">Loading…</p>;
  const refreshed = (e: Episode) => { setEp(e); setTick((t) => t + 1); };

  type Row = { at: string; kind: string; text: string; actor?: string };
  const rows: Row[] = [
    ...ep.assessments.map((a) => ({ at: a.at, kind: a.seq === 0 ? 'assessment' : 're-assessment', text: `${a.assessment.recommendation.label} (as of ${a.assessment.as_of})` })),
    ...ep.events.map((e) => ({ at: e.at, kind: e.type.startsWith('scan_') ? (e.type === 'scan_result' ? 'result' : 'scan') : 'event', text: describeEvent(e.event), actor: e.actor })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

  return (
    <div class="episode">
      <h1>Episode: {ep.patient_id}</h1>
      <div class="toolbar">
        <dl class="kv inline-kv">
          <dt>Phase</dt><dd data-testid="phase">{humanize(ep.phase)}{ep.phase_reason && ` (${ep.phase_reason})`}</dd>
          <dt>Strategy</dt><dd>{humanize(ep.strategy)}</dd>
          <dt>Anticoagulated</dt><dd>{ep.anticoagulated ? 'yes' : 'no'}</dd>
          <dt>Index scan</dt><dd>{ep.imaging_date}</dd>
        </dl>
        <div class="field narrow">
          <label for="ep-asof">As of</label>
          <input id="ep-asof" type="date" value={asOf} onInput={(e) => { const v = (e.target as HTMLInputElement).value; if (v) setAsOf(v); }} />
        </div>
      </div>
      {ep.assessments.length > 1 && (
        <div class="banner banner-warn" data-testid="reassessed">Re-assessed {ep.assessments[ep.assessments.length - 1].at}: <strong>{ep.assessment.recommendation.label}</strong>
          {ep.assessment.trace.length > 0 && <> — {ep.assessment.trace[ep.assessment.trace.length - 1]}</>}</div>
      )}
      <Alerts alerts={ep.alerts} />
      <div class="two-col">
        <div>
          <h2>Scans</h2>
          {ep.scans.length === 0 ? <p class="muted">No surveillance scans in this episode.</p> : (
            <div class="table-wrap"><table class="table">
              <thead><tr><th scope="col">Scan</th><th scope="col">Due (window)</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
              <tbody>{ep.scans.map((s) => (
                <tr key={s.day} data-scan={s.day}>
                  <th scope="row">Day {s.day}</th>
                  <td>{s.due}<div class="small muted">{s.window[0]} – {s.window[1]}</div>{s.booked && <div class="small">booked {s.booked}</div>}</td>
                  <td><Badge tone={s.status}>{s.status}</Badge>{s.result && <div class="small">{humanize(s.result)} ({s.performed})</div>}{s.cancel_reason && <div class="small">{s.cancel_reason}</div>}</td>
                  <td>{(s.status === 'upcoming' || s.status === 'due' || s.status === 'overdue') && <ScanActions episodeId={ep.id} day={s.day} idPrefix={`scan${s.day}`} onDone={refreshed} />}</td>
                </tr>
              ))}</tbody>
            </table></div>
          )}
          {ep.phase !== 'closed' && <OtherActions ep={ep} onDone={refreshed} />}
          <h2>Timeline</h2>
          <ol class="timeline" data-testid="timeline">{rows.map((r, i) => (
            <li key={i} class={`tl-${r.kind.replace(/\W/g, '')}`}><Badge tone="neutral">{r.kind}</Badge> <span>{r.text}</span>
              <div class="small muted">{r.at}{r.actor && ` · ${r.actor}`}</div></li>
          ))}</ol>
          <h2>Audit trail</h2>
          <div class="table-wrap"><table class="table small" data-testid="audit">
            <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Result</th></tr></thead>
            <tbody>{audit.map((a) => (
              <tr key={a.id}><td>{a.at}</td><td>{a.actor}</td><td>{a.action}</td>
                <td>{['phase', 'strategy'].filter((k) => a.change[k]).map((k) => `${k} ${humanize(String(a.change[k]))}`).join(', ')}</td></tr>
            ))}</tbody>
          </table></div>
        </div>
        <div>
          <h2>Current assessment</h2>
          <AssessmentView a={ep.assessment} compact />
        </div>
      </div>
    </div>
  );
}

export function PatientPage({ patient }: { patient: string }) {
  const [eps, setEps] = useState<Episode[] | null>(null);
  const [err, setErr] = useState<string | undefined>();
  useEffect(() => { api.episodes(patient, today()).then((r) => (r.ok ? setEps(r.data!.episodes) : setErr(r.message))); }, [patient]);
  return (
    <div>
      <h1>Episodes of {patient}</h1>
      <ErrorBanner message={err} />
      {eps && eps.length === 0 && <p class="muted">No episode for this patient.</p>}
      {eps && eps.length > 0 && <ul class="plain">{eps.map((e) => (
        <li key={e.id}><a href={`#/episode/${e.id}`}>{e.imaging_date}: {humanize(e.strategy)}</a> — {humanize(e.phase)}</li>
      ))}</ul>}
    </div>
  );
}
