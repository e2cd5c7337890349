// The end-of-procedure outcome of a calf-squeeze procedure (docs/api.md "Procedure outcome"):
// antegrade flow, residual thrombus, stent and complications, sent with
// PUT /api/v1/procedures/{id}/outcome?expected_version=. The server validates (errors are shown
// beside the field their JSON path names) and re-computes the outcomes; this form only collects
// the record's `result` and `complications` as the format spells them.
import { useState } from 'preact/hooks';
import { api, type ApiError, type ProcedureDoc } from '../api';
import { Field, Select, Tri, fieldId } from '../ui';
import { COMPLICATIONS } from '../vocab';

export type CompMode = 'unrecorded' | 'none' | 'some';
export interface CompRow { type: string; severity: string }

const SEVERITY: [string, string][] = [['minor', 'Minor'], ['major', 'Major']];

// Complications as the format has them: not recorded (absent), none ([]), or a list of
// {type, severity?}. `name` keeps the radio groups of two forms apart.
export function ComplicationsFields({ name, mode, rows, errors, onMode, onRows }: {
  name: string; mode: CompMode; rows: CompRow[]; errors: ApiError[];
  onMode: (m: CompMode) => void; onRows: (r: CompRow[]) => void;
}) {
  const setRow = (i: number, patch: Partial<CompRow>) => onRows(rows.map((y, j) => (j === i ? { ...y, ...patch } : y)));
  return (
    <>
      <div class="radio-row" role="radiogroup" aria-label="Complications">
        {([['unrecorded', 'Complications not recorded'], ['none', 'No complication'], ['some', 'Complications:']] as const).map(([m, l]) => (
          <label key={m}><input type="radio" name={name} checked={mode === m} onChange={() => { onMode(m); if (m === 'some' && !rows.length) onRows([{ type: 'access_site_hematoma', severity: 'minor' }]); }} /> {l}</label>
        ))}
      </div>
      {mode === 'some' && rows.map((x, i) => (
        <div class="row" key={i}>
          <Select path={`complications[${i}].type`} label={`Complication ${i + 1}`} options={COMPLICATIONS} value={x.type} errors={errors} onInput={(t) => setRow(i, { type: t })} />
          <Select path={`complications[${i}].severity`} label={`Severity of complication ${i + 1}`} options={SEVERITY} empty="Not classified" value={x.severity} errors={errors} onInput={(t) => setRow(i, { severity: t })} />
          <button type="button" class="btn-secondary" onClick={() => onRows(rows.filter((_, j) => j !== i))}>Remove complication {i + 1}</button>
        </div>
      ))}
      {mode === 'some' && <button type="button" class="btn-secondary" onClick={() => onRows([...rows, { type: 'other', severity: '' }])}>Add a complication</button>}
    </>
  );
}

// The `complications` value of the format for the chosen mode; undefined = not recorded.
export function complicationsValue(mode: CompMode, rows: CompRow[]): unknown[] | undefined {
  if (mode === 'none') return [];
  if (mode === 'some') return rows.map((x) => (x.severity ? x : { type: x.type }));
  return undefined;
}

// Numbers as typed; anything else is sent as text so the server names the problem.
const num = (v: string) => (v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);
const tri = (v: unknown) => (v === true ? 'true' : v === false ? 'false' : '');

export function OutcomeForm({ doc, onRecorded, onConflict }: {
  doc: ProcedureDoc;
  onRecorded: (d: ProcedureDoc) => void;   // the server's updated procedure
  onConflict: () => void;                  // the version moved on: the page re-reads the procedure
}) {
  const p = doc.report.procedure;
  const [v, setV] = useState<Record<string, string>>(() => ({
    'result.antegrade_flow': tri(p.result?.antegrade_flow),
    'result.residual_thrombus_percent': p.result?.residual_thrombus_percent === undefined || p.result?.residual_thrombus_percent === null ? '' : String(p.result.residual_thrombus_percent),
    'result.stent': tri(p.result?.stent),
  }));
  const [mode, setMode] = useState<CompMode>(() => (!Array.isArray(p.complications) ? 'unrecorded' : p.complications.length ? 'some' : 'none'));
  const [rows, setRows] = useState<CompRow[]>(() => (Array.isArray(p.complications) ? p.complications.map((c: any) => ({ type: c.type, severity: c.severity ?? '' })) : []));
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [msg, setMsg] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const c = (k: string) => ({ path: k, errors, value: v[k] ?? '', onInput: (x: string) => setV((o) => ({ ...o, [k]: x })) });
  const recorded = p.result !== undefined || p.complications !== undefined;

  function body() {
    const out: Record<string, unknown> = {};
    const res: Record<string, unknown> = {};
    if (v['result.antegrade_flow']) res.antegrade_flow = v['result.antegrade_flow'] === 'true';
    if (v['result.residual_thrombus_percent'].trim()) res.residual_thrombus_percent = num(v['result.residual_thrombus_percent']);
    if (v['result.stent']) res.stent = v['result.stent'] === 'true';
    if (Object.keys(res).length) out.result = res;
    const comps = complicationsValue(mode, rows);
    if (comps) out.complications = comps;
    return out;
  }

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    const r = await api.outcome(doc.id, doc.version, body());
    setBusy(false);
    if (r.ok) {
      setErrors([]); setMsg(undefined);
      onRecorded(r.data!);
      return;
    }
    if (r.status === 409) {
      setErrors([]);
      setMsg('The procedure changed meanwhile (a squeeze or another outcome was recorded). It has been reloaded: check the outcome and record it again.');
      onConflict();
      return;
    }
    setErrors(r.errors);
    setMsg(r.message);
    setTimeout(() => { const first = r.errors[0]; if (first) document.getElementById(fieldId(first.path))?.focus(); }, 0);
  }

  return (
    <form class="outcome-form" onSubmit={submit} noValidate aria-labelledby="oc-h" data-testid="outcome-form">
      <h2 id="oc-h">Record outcome</h2>
      <p class="small muted">At the end of the procedure. {recorded ? 'An outcome is recorded: saving replaces it; the audit trail keeps both.' : 'Empty fields stay not recorded.'}</p>
      {msg && (
        <div class="banner banner-error" role="alert">
          {errors.length ? `${errors.length} problem${errors.length > 1 ? 's' : ''} (highlighted below):` : msg}
          {errors.map((x) => <div key={x.path + x.message}><code>{x.path}</code>: {x.message}</div>)}
        </div>
      )}
      <div class="row">
        <Tri {...c('result.antegrade_flow')} label="Antegrade flow restored" />
        <Field {...c('result.residual_thrombus_percent')} label="Residual thrombus" unit="%" kind="number" width="narrow" />
        <Tri {...c('result.stent')} label="Stent" />
      </div>
      <ComplicationsFields name="outcome-comp-mode" mode={mode} rows={rows} errors={errors} onMode={setMode} onRows={setRows} />
      <button type="submit" class="btn-primary" disabled={busy}>{recorded ? 'Save corrected outcome' : 'Record outcome'}</button>
    </form>
  );
}
