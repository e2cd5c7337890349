// Calf-squeeze procedures (docs/thrombectomy.md): start a procedure (POST /api/v1/procedures),
// log it squeeze by squeeze (POST /api/v1/procedures/{id}/squeezes), record its outcome at the
// end (PUT /api/v1/procedures/{id}/outcome, OutcomeForm.tsx) and show the protocol checks and
// outcomes the server re-computes after each change.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, today, type ApiError, type Check, type ProcedureDoc } from '../api';
import { Badge, ErrorBanner, Field, Select, Sources, Tri, fieldId, fmtValue } from '../ui';
import { IVC_FILTER, LEG, VEINS, humanize, label, veinLabel } from '../vocab';
import { ComplicationsFields, OutcomeForm, complicationsValue, type CompMode, type CompRow } from './OutcomeForm';
import { ProcedureAudit } from './ProcedureAudit';

const DEEP_VEINS = VEINS;

function VeinChecks({ path, legend, value, onChange, errors }: { path: string; legend: string; value: string[]; onChange: (v: string[]) => void; errors: ApiError[] }) {
  const errs = errors.filter((e) => e.path === path || e.path.startsWith(path + '['));
  return (
    <fieldset class={`veins ${errs.length ? 'invalid' : ''}`} id={fieldId(path)} tabIndex={-1} aria-describedby={errs.length ? `${fieldId(path)}-err` : undefined}>
      <legend>{legend}</legend>
      <div class="checks">{DEEP_VEINS.map(([id, l]) => (
        <label key={id} class="check"><input type="checkbox" checked={value.includes(id)}
          onChange={(e) => onChange((e.target as HTMLInputElement).checked ? [...value, id] : value.filter((x) => x !== id))} /> {l}</label>
      ))}</div>
      {errs.length > 0 && <div class="field-error" id={`${fieldId(path)}-err`}>{errs.map((e) => <div key={e.path + e.message}>{e.message}</div>)}</div>}
    </fieldset>
  );
}

const num = (v: string) => (v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);

export function NewProcedurePage({ navigate }: { navigate: (h: string) => void }) {
  const [v, setV] = useState<Record<string, string>>({ date: today(), side: '', access_vein: 'popliteal', ivc_filter: '' });
  const [veins, setVeins] = useState<string[]>([]);
  const [compMode, setCompMode] = useState<CompMode>('unrecorded');
  const [comps, setComps] = useState<CompRow[]>([]);
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [msg, setMsg] = useState<string | undefined>();
  const set = (k: string) => (x: string) => setV((o) => ({ ...o, [k]: x }));
  const c = (k: string) => ({ path: k, errors, value: v[k] ?? '', onInput: set(k) });

  function record() {
    const r: any = { format: 'calfdvt/procedure@1', squeezes: [] };
    for (const k of ['patient_id', 'date', 'side', 'operator', 'access_vein', 'ivc_filter']) if (v[k]) r[k] = v[k];
    if (v.aspiration_catheter_fr) r.aspiration_catheter_fr = num(v.aspiration_catheter_fr);
    const ind: any = { thrombosed_veins: veins };
    if (v['indication.iliac_obstruction']) ind.iliac_obstruction = v['indication.iliac_obstruction'] === 'true';
    if (v['indication.symptom_days']) ind.symptom_days = num(v['indication.symptom_days']);
    r.indication = ind;
    if (v['thrombolysis.agent'] || v['thrombolysis.hours']) {
      r.thrombolysis = {};
      if (v['thrombolysis.agent']) r.thrombolysis.agent = v['thrombolysis.agent'];
      if (v['thrombolysis.hours']) r.thrombolysis.hours = num(v['thrombolysis.hours']);
    }
    const res: any = {};
    if (v['result.antegrade_flow']) res.antegrade_flow = v['result.antegrade_flow'] === 'true';
    if (v['result.residual_thrombus_percent']) res.residual_thrombus_percent = num(v['result.residual_thrombus_percent']);
    if (v['result.stent']) res.stent = v['result.stent'] === 'true';
    if (Object.keys(res).length) r.result = res;
    const complications = complicationsValue(compMode, comps);
    if (complications) r.complications = complications;
    return r;
  }

  async function submit(e: Event) {
    e.preventDefault();
    const r = await api.createProcedure(record());
    if (r.ok) navigate(`#/procedure/${r.data!.id}`);
    else { setErrors(r.errors); setMsg(r.message); setTimeout(() => { const first = r.errors[0]; if (first) document.getElementById(fieldId(first.path))?.focus(); }, 0); }
  }

  return (
    <form class="procedure-form" onSubmit={submit} noValidate aria-labelledby="np-h">
      <h1 id="np-h">New calf-squeeze procedure</h1>
      <p class="muted">Support for the interventional operator during aspiration thrombectomy of acute DVT; never a treatment proposal for isolated calf DVT. Start the procedure, then log each squeeze as it happens.</p>
      {msg && (
        <div class="banner banner-error" role="alert">
          {errors.length ? `${errors.length} problem${errors.length > 1 ? 's' : ''} (highlighted below):` : msg}
          {errors.map((e) => <div key={e.path + e.message}><code>{e.path}</code>: {e.message}</div>)}
        </div>
      )}
      <fieldset><legend>Patient and indication</legend>
        <div class="row">
          <Field {...c('patient_id')} label="Patient identifier" required />
          <Field {...c('date')} label="Date" kind="date" required width="narrow" />
          <Select {...c('side')} label="Leg" options={LEG} empty="Choose" required width="narrow" />
          <Field {...c('operator')} label="Operator" />
        </div>
        <VeinChecks path="indication.thrombosed_veins" legend="Thrombosed veins" value={veins} onChange={setVeins} errors={errors} />
        <div class="row">
          <Tri {...c('indication.iliac_obstruction')} label="Iliac vein obstruction" />
          <Field {...c('indication.symptom_days')} label="Symptom duration" unit="days" kind="number" width="narrow" />
        </div>
      </fieldset>
      <fieldset><legend>Set-up</legend>
        <div class="row">
          <Select {...c('access_vein')} label="Access vein" options={VEINS} empty="Choose" required />
          <Select {...c('ivc_filter')} label="IVC filter" options={IVC_FILTER} empty="Not recorded" />
          <Field {...c('aspiration_catheter_fr')} label="Aspiration catheter" unit="Fr" kind="number" width="narrow" />
          <Field {...c('thrombolysis.agent')} label="Thrombolysis agent" />
          <Field {...c('thrombolysis.hours')} label="Thrombolysis duration" unit="hours" kind="number" width="narrow" />
        </div>
      </fieldset>
      <fieldset><legend>Result and complications (for a procedure recorded afterwards)</legend>
        <p class="small muted">Leave these empty for a live procedure: record them with <strong>Record outcome</strong> on the procedure page at the end.</p>
        <div class="row">
          <Tri {...c('result.antegrade_flow')} label="Antegrade flow restored" />
          <Field {...c('result.residual_thrombus_percent')} label="Residual thrombus" unit="%" kind="number" width="narrow" />
          <Tri {...c('result.stent')} label="Stent" />
        </div>
        <ComplicationsFields name="comp-mode" mode={compMode} rows={comps} errors={errors} onMode={setCompMode} onRows={setComps} />
      </fieldset>
      <button type="submit" class="btn-primary">Start procedure</button>
    </form>
  );
}

function CheckList({ checks }: { checks: Check[] }) {
  const order = { fired: 0, unknown: 1, not_fired: 2 } as const;
  const sorted = [...checks].sort((a, b) => order[a.status] - order[b.status]);
  return (
    <ul class="checks-list" data-testid="checks">{sorted.map((c) => (
      <li key={c.id} class={`check-${c.status} sev-${c.severity}`} data-check={c.id} data-status={c.status}>
        <div><Badge tone={c.status === 'fired' ? c.severity : c.status === 'unknown' ? 'unknown' : 'absent'}>{c.status === 'fired' ? c.severity : humanize(c.status)}</Badge> <strong>{c.title}</strong></div>
        {c.status !== 'not_fired' && <div>{c.status === 'fired' ? c.message : 'Not recorded: cannot be checked.'}</div>}
        <div class="small muted">{c.detail} <Sources ids={c.sources} /></div>
      </li>
    ))}</ul>
  );
}

export function ProcedurePage({ id }: { id: string }) {
  const [doc, setDoc] = useState<ProcedureDoc | null>(null);
  const [err, setErr] = useState<string | undefined>();
  const [targets, setTargets] = useState<string[]>([]);
  const [migration, setMigration] = useState('');
  const [aspirated, setAspirated] = useState('');
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [announce, setAnnounce] = useState('');
  const prevFired = useRef<Set<string>>(new Set());
  const load = () => api.procedure(id).then((r) => { if (r.ok) { setDoc(r.data!); prevFired.current = new Set(r.data!.report.checks.filter((c) => c.status === 'fired').map((c) => c.id)); } else setErr(r.message); });
  useEffect(() => { load(); }, [id]);
  if (err) return <ErrorBanner message={err} />;
  if (!doc) return <p class="muted">Loading…</p>;
  const p = doc.report.procedure;
  const o = doc.report.outcomes;
  const squeezes: any[] = p.squeezes ?? [];

  async function logSqueeze(e: Event) {
    e.preventDefault();
    const s: any = { target_veins: targets };
    if (migration) s.migration_observed = migration === 'true';
    if (aspirated) s.thrombus_aspirated = aspirated === 'true';
    const r = await api.squeeze(id, doc!.version, s);
    if (r.ok) {
      const fired = r.data!.report.checks.filter((c) => c.status === 'fired');
      const fresh = fired.filter((c) => !prevFired.current.has(c.id));
      prevFired.current = new Set(fired.map((c) => c.id));
      setAnnounce(`Squeeze ${r.data!.report.outcomes.squeeze_count} logged.${fresh.length ? ' New warning: ' + fresh.map((c) => c.title).join('; ') : ''}`);
      setDoc(r.data!); setErrors([]); setMigration(''); setAspirated('');
    } else {
      setErrors(r.errors.map((x) => ({ ...x, path: x.path.replace(/^squeezes\[\d+\]\./, 'squeeze.') })));
      if (r.status === 409) setAnnounce('The procedure changed meanwhile: reload the page.');
    }
  }
  const n = squeezes.length + 1;
  const fired = doc.report.checks.filter((c) => c.status === 'fired');
  return (
    <div class="procedure">
      <h1>Procedure: {p.patient_id} <span class="muted small">{p.date}, {label(LEG, p.side)} leg</span></h1>
      <div class="sr-only" role="status" aria-live="assertive">{announce}</div>
      {announce && <div class="banner banner-ok" aria-hidden="true">{announce}</div>}
      <div class="two-col">
        <div>
          <h2>Squeeze log</h2>
          {squeezes.length === 0 ? <p class="muted">No squeeze yet.</p> : (
            <ol class="squeeze-log" data-testid="squeeze-log">{squeezes.map((s, i) => (
              <li key={i}>Squeeze {i + 1}: {s.target_veins.map(veinLabel).join(', ')} — migration {fmtValue(s.migration_observed ?? null)}, aspirated {fmtValue(s.thrombus_aspirated ?? null)}</li>
            ))}</ol>
          )}
          <form class="squeeze-form" onSubmit={logSqueeze} noValidate aria-labelledby="sq-h">
            <h3 id="sq-h">Squeeze {n}</h3>
            {fired.length > 0 && (
              <ul class="alerts" aria-label="Protocol warnings in force" data-testid="active-warnings">
                {fired.map((c) => <li key={c.id} class={`alert alert-${c.severity}`}><Badge tone={c.severity}>{c.severity}</Badge> {c.message}</li>)}
              </ul>
            )}
            <VeinChecks path="squeeze.target_veins" legend="Target veins" value={targets} onChange={setTargets} errors={errors} />
            <div class="row">
              <div class="radio-row" role="radiogroup" aria-label="Proximal migration observed">
                <span class="rg-label">Migration observed</span>
                {[['true', 'Yes'], ['false', 'No'], ['', 'Not recorded']].map(([val, l]) => <label key={val}><input type="radio" name="migration" checked={migration === val} onChange={() => setMigration(val)} /> {l}</label>)}
              </div>
              <div class="radio-row" role="radiogroup" aria-label="Thrombus aspirated">
                <span class="rg-label">Thrombus aspirated</span>
                {[['true', 'Yes'], ['false', 'No'], ['', 'Not recorded']].map(([val, l]) => <label key={val}><input type="radio" name="aspirated" checked={aspirated === val} onChange={() => setAspirated(val)} /> {l}</label>)}
              </div>
            </div>
            {errors.filter((e) => !e.path.startsWith('squeeze.target_veins')).map((e) => <div class="field-error" key={e.path + e.message}>{e.path}: {e.message}</div>)}
            <button type="submit" class="btn-primary">Log squeeze {n}</button>
          </form>
          <h2>Outcomes</h2>
          <dl class="kv" data-testid="outcomes">
            <dt>Squeezes</dt><dd data-testid="squeeze-count">{o.squeeze_count}</dd>
            <dt>Proximal migration</dt><dd>{fmtValue(o.migration)}</dd>
            <dt>Removal</dt><dd>{o.removal_percent === null ? 'unknown' : `${o.removal_percent}% (grade ${o.removal_grade})`}</dd>
            <dt>Recanalization</dt><dd>{o.recanalization === null ? 'unknown' : fmtValue(o.recanalization)}</dd>
            <dt>Complication</dt><dd>{o.complication === null ? 'not recorded' : fmtValue(o.complication)}{o.major_complication ? ' (major)' : ''}</dd>
          </dl>
          <OutcomeForm key={doc.id} doc={doc} onConflict={load}
            onRecorded={(d) => { setDoc(d); setAnnounce(`Outcome recorded (record version ${d.version}).`); }} />
          <p><a href={`/api/v1/procedures/${encodeURIComponent(id)}?format=html`} target="_blank" rel="noopener">Printable procedure report</a></p>
        </div>
        <div>
          <h2>Protocol checks</h2>
          <CheckList checks={doc.report.checks} />
          <p class="small muted">Knowledge {doc.report.knowledge.id} {doc.report.knowledge.version} · record version {doc.version}</p>
          <ProcedureAudit id={doc.id} version={doc.version} />
        </div>
      </div>
    </div>
  );
}

export function ProceduresPage() {
  const [list, setList] = useState<ProcedureDoc[] | null>(null);
  const [err, setErr] = useState<string | undefined>();
  useEffect(() => { api.procedures({}).then((r) => (r.ok ? setList(r.data!.procedures) : setErr(r.message))); }, []);
  return (
    <div>
      <h1>Procedures</h1>
      <p><a class="btn-primary" href="#/procedures/new">New procedure</a> <a class="btn-secondary" href="#/registry">Registry</a></p>
      <ErrorBanner message={err} />
      {list && list.length === 0 && <p class="muted">No procedure recorded yet.</p>}
      {list && list.length > 0 && (
        <div class="table-wrap"><table class="table" data-testid="procedures">
          <thead><tr><th scope="col">Date</th><th scope="col">Patient</th><th scope="col">Leg</th><th scope="col">Operator</th><th scope="col">Squeezes</th><th scope="col">Warnings</th></tr></thead>
          <tbody>{[...list].reverse().map((d) => (
            <tr key={d.id}><td>{d.report.procedure.date}</td><th scope="row"><a href={`#/procedure/${d.id}`}>{d.report.procedure.patient_id}</a></th>
              <td>{label(LEG, d.report.procedure.side)}</td><td>{d.report.procedure.operator ?? '—'}</td><td>{d.report.outcomes.squeeze_count}</td>
              <td>{d.report.checks.filter((c) => c.status === 'fired').map((c) => <Badge key={c.id} tone={c.severity}>{humanize(c.id)}</Badge>)}</td></tr>
          ))}</tbody>
        </table></div>
      )}
    </div>
  );
}
