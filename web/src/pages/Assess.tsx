// Assess: the case form in clinical order (imaging -> labs -> history -> bleeding -> preferences ->
// patient) and the live result panel (result -> next steps -> why -> evidence -> pitfalls). Every
// keystroke re-sends the case to POST /api/v1/assess (debounced); the server's messages appear
// next to the field their JSON path names. Nothing here decides anything.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, today, type ApiError, type Assessment, type Knowledge } from '../api';
import { Field, Select, Tri, fieldId, ErrorBanner } from '../ui';
import { BLEEDING_FACTORS, BLEEDING_RISK, DDIMER_RESULT, LEG, PREFERENCE, PREGNANCY, PROTOCOLS, PROVOCATION, SEX, SIDES, VEINS } from '../vocab';
import { AssessmentView } from './AssessmentView';

interface Thrombus { key: number; vein: string; side: string; length_cm: string; max_diameter_mm: string; distance_to_popliteal_cm: string; acute: string }

// Scalar fields by JSON path and how to send them.
type Kind = 'num' | 'str' | 'bool';
const SCALARS: Record<string, Kind> = {
  as_of: 'str', 'imaging.date': 'str', 'imaging.protocol': 'str', 'imaging.side': 'str',
  'labs.d_dimer.value': 'num', 'labs.d_dimer.cutoff': 'num', 'labs.d_dimer.unit': 'str', 'labs.d_dimer_result': 'str',
  'history.provocation': 'str', 'history.active_cancer': 'bool', 'history.prior_vte': 'bool', 'history.inpatient': 'bool',
  'history.recent_hospitalization': 'bool', 'history.recent_surgery': 'bool', 'history.severe_symptoms': 'bool',
  'history.covid19': 'bool', 'history.end_stage_renal_disease': 'bool', 'history.stroke': 'bool',
  'bleeding.risk': 'str', 'bleeding.anticoagulation_contraindicated': 'bool', 'preferences.anticoagulation': 'str',
  'patient.age': 'num', 'patient.sex': 'str', 'patient.pregnancy': 'str', 'patient.expected_delivery_date': 'str',
  'patient.delivery_date': 'str', 'patient.breastfeeding': 'bool', 'patient.crcl_ml_min': 'num',
  'patient.severe_liver_disease': 'bool', 'patient.antiphospholipid_syndrome': 'bool',
};

// Text that is not a plain number is sent as typed, so the server names the problem.
function convert(kind: Kind, v: string): unknown {
  if (kind === 'bool') return v === 'true';
  if (kind === 'num') { const t = v.trim(); return t !== '' && Number.isFinite(Number(t)) ? Number(t) : v; }
  return v;
}

function setPath(obj: any, path: string, value: unknown) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  o[keys[keys.length - 1]] = value;
}

export interface FormState { values: Record<string, string>; thrombi: Thrombus[]; bleedingMode: 'category' | 'factors'; factors: string[]; profile: string }

export function buildCase(f: FormState): Record<string, unknown> {
  const c: any = { format: 'calfdvt/case@1' };
  for (const [path, kind] of Object.entries(SCALARS)) {
    const v = f.values[path] ?? '';
    if (v === '') continue; // empty = unknown: the field is omitted
    if (f.bleedingMode === 'factors' && path === 'bleeding.risk') continue;
    setPath(c, path, convert(kind, v));
  }
  c.imaging ??= {};
  c.imaging.thrombi = f.thrombi.map((t) => {
    const o: any = {};
    if (t.vein) o.vein = t.vein;
    if (t.side) o.side = t.side;
    for (const k of ['length_cm', 'max_diameter_mm', 'distance_to_popliteal_cm'] as const) if (t[k] !== '') o[k] = convert('num', t[k]);
    if (t.acute !== '') o.acute = t.acute === 'true';
    return o;
  });
  if (f.bleedingMode === 'factors') { c.bleeding ??= {}; c.bleeding.factors = f.factors; }
  return c;
}

let nextKey = 1;
const newThrombus = (): Thrombus => ({ key: nextKey++, vein: '', side: '', length_cm: '', max_diameter_mm: '', distance_to_popliteal_cm: '', acute: '' });

export function initialForm(): FormState {
  const d = today();
  // The protocol is chosen explicitly: a limited compression scan changes everything (R1).
  return { values: { as_of: d, 'imaging.date': d, 'labs.d_dimer.unit': 'ng/mL FEU' }, thrombi: [newThrombus()], bleedingMode: 'category', factors: [], profile: '' };
}

// The form survives navigation within the app (not a reload).
let saved: FormState | null = null;

export function AssessPage({ knowledge, navigate }: { knowledge: Knowledge | null; navigate: (h: string) => void }) {
  const [form, setForm] = useState<FormState>(() => saved ?? initialForm());
  const [result, setResult] = useState<Assessment | null>(null);
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [busy, setBusy] = useState(false);
  const [transport, setTransport] = useState<string | undefined>();
  const [patient, setPatient] = useState('');
  const [saveMsg, setSaveMsg] = useState<{ tone: string; text: string; errors?: ApiError[] } | null>(null);
  const seq = useRef(0);
  saved = form;

  const profile = form.profile || knowledge?.default_profile || '';
  const body = useMemo(() => buildCase(form), [form]);

  // Live assessment, debounced; a newer request aborts an older one.
  useEffect(() => {
    const my = ++seq.current;
    const ctl = new AbortController();
    setBusy(true);
    const t = setTimeout(async () => {
      try {
        const r = await api.assess(body, profile, ctl.signal);
        if (my !== seq.current) return;
        setTransport(r.status === 0 ? r.message : undefined);
        if (r.ok) { setResult(r.data!); setErrors([]); } else if (r.status !== 0) setErrors(r.errors);
        setBusy(false);
      } catch { /* aborted */ }
    }, 300);
    return () => { clearTimeout(t); ctl.abort(); };
  }, [body, profile]);

  const set = (path: string) => (v: string) => setForm((f) => ({ ...f, values: { ...f.values, [path]: v } }));
  const setT = (i: number, k: keyof Thrombus) => (v: string) =>
    setForm((f) => ({ ...f, thrombi: f.thrombi.map((t, j) => (j === i ? { ...t, [k]: v } : t)) }));
  const common = (path: string) => ({ path, errors, value: form.values[path] ?? '', onInput: set(path) });

  const knownPaths = new Set<string>([...Object.keys(SCALARS), 'bleeding.factors', 'imaging.thrombi',
    ...form.thrombi.flatMap((_, i) => ['vein', 'side', 'length_cm', 'max_diameter_mm', 'distance_to_popliteal_cm', 'acute'].map((k) => `imaging.thrombi[${i}].${k}`))]);
  const other = errors.filter((e) => !knownPaths.has(e.path) && !e.path.startsWith('bleeding.factors'));
  const factorErrors = errors.filter((e) => e.path.startsWith('bleeding.factors'));
  const stale = errors.length > 0;

  async function save(e: Event) {
    e.preventDefault();
    setSaveMsg(null);
    const r = await api.createEpisode(body, patient, profile);
    if (r.ok) {
      setSaveMsg({ tone: 'ok', text: `Saved as an episode for ${r.data!.patient_id}.` });
      navigate(`#/episode/${r.data!.id}`);
    } else setSaveMsg({ tone: 'error', text: r.message ?? 'Not saved.', errors: r.errors });
  }

  const focus = (path: string) => {
    const el = document.getElementById(fieldId(path));
    if (el) el.focus(); else document.getElementById(fieldId(path.replace(/\.[^.]*$/, '')))?.focus();
  };

  return (
    <div class="assess">
      <form class="assess-form" aria-labelledby="assess-h" onSubmit={(e) => e.preventDefault()} noValidate>
        <h1 id="assess-h">Assess a calf DVT</h1>
        <p class="muted">Fill in what you know; leave the rest empty (empty means <em>unknown</em>, never “no”). The result updates as you type.</p>
        <div class="sr-only" aria-live="polite">{errors.length ? `${errors.length} problem${errors.length > 1 ? 's' : ''} in the form` : ''}</div>
        {other.length > 0 && (
          <div class="banner banner-error" role="alert" id="form-errors">
            {other.map((e) => <div key={e.path + e.message}><code>{e.path || 'case'}</code>: {e.message}</div>)}
          </div>
        )}
        <div class="row">
          <Field {...common('as_of')} label="Assessment date" kind="date" required width="narrow" />
          {knowledge && knowledge.profiles.length > 1 && (
            <Select path="profile" label="Knowledge profile" errors={[]} value={profile} options={knowledge.profiles.map((p) => [p.id, p.label])}
              width="wide" onInput={(v) => setForm((f) => ({ ...f, profile: v }))} hint={knowledge.profiles.find((p) => p.id === profile)?.description} />
          )}
        </div>

        <fieldset>
          <legend>1. Ultrasound</legend>
          <div class="row">
            <Field {...common('imaging.date')} label="Scan date" kind="date" required width="narrow" />
            <Select {...common('imaging.protocol')} label="Protocol" options={PROTOCOLS} empty="Choose the protocol" required />
            <Select {...common('imaging.side')} label="Side examined" options={SIDES} empty="Unknown" width="narrow" />
          </div>
          <h3 class="sub">Thrombi (one row per vein)</h3>
          {form.thrombi.length === 0 && <p class="muted">No thrombus recorded.</p>}
          {form.thrombi.map((t, i) => {
            const p = (k: string) => `imaging.thrombi[${i}].${k}`;
            const tc = (k: keyof Thrombus) => ({ path: p(k), errors, value: t[k] as string, onInput: setT(i, k) });
            return (
              <div class="thrombus" key={t.key} role="group" aria-label={`Thrombus ${i + 1}`}>
                <div class="row">
                  <Select {...tc('vein')} label={`Vein (thrombus ${i + 1})`} options={VEINS} empty="Choose a vein" required />
                  <Select {...tc('side')} label="Leg" options={LEG} empty="Unknown" width="narrow" />
                  <Tri {...tc('acute')} label="Acute" width="narrow" />
                </div>
                <div class="row">
                  <Field {...tc('length_cm')} label="Length" unit="cm" kind="number" width="narrow" />
                  <Field {...tc('max_diameter_mm')} label="Maximum diameter" unit="mm" kind="number" width="narrow" />
                  <Field {...tc('distance_to_popliteal_cm')} label="Distance to popliteal vein" unit="cm" kind="number" width="narrow" />
                  <button type="button" class="btn-secondary remove" onClick={() => setForm((f) => ({ ...f, thrombi: f.thrombi.filter((_, j) => j !== i) }))}>
                    Remove thrombus {i + 1}
                  </button>
                </div>
              </div>
            );
          })}
          <button type="button" class="btn-secondary" onClick={() => setForm((f) => ({ ...f, thrombi: [...f.thrombi, newThrombus()] }))}>Add a thrombus</button>
        </fieldset>

        <fieldset>
          <legend>2. Labs</legend>
          <div class="row">
            <Field {...common('labs.d_dimer.value')} label="D-dimer value" kind="number" width="narrow" />
            <Field {...common('labs.d_dimer.cutoff')} label="Laboratory cut-off" kind="number" width="narrow" />
            <Field {...common('labs.d_dimer.unit')} label="Unit" width="narrow" />
            <Select {...common('labs.d_dimer_result')} label="or: D-dimer result" options={DDIMER_RESULT} empty="Unknown" width="narrow" />
          </div>
        </fieldset>

        <fieldset>
          <legend>3. History</legend>
          <div class="row">
            <Select {...common('history.provocation')} label="Provocation" options={PROVOCATION} empty="Unknown" />
            <Tri {...common('history.active_cancer')} label="Active cancer" />
            <Tri {...common('history.prior_vte')} label="Prior VTE" />
            <Tri {...common('history.inpatient')} label="Inpatient" />
            <Tri {...common('history.recent_hospitalization')} label="Recent hospitalization" />
            <Tri {...common('history.recent_surgery')} label="Recent surgery" />
            <Tri {...common('history.severe_symptoms')} label="Severe symptoms" hint="Pain or swelling preventing walking or sleep, marked oedema" />
            <Tri {...common('history.covid19')} label="COVID-19" />
            <Tri {...common('history.end_stage_renal_disease')} label="End-stage renal disease" />
            <Tri {...common('history.stroke')} label="Stroke" />
          </div>
        </fieldset>

        <fieldset>
          <legend>4. Bleeding risk</legend>
          <div class="radio-row" role="radiogroup" aria-label="How to give the bleeding risk">
            <label><input type="radio" name="bleeding-mode" checked={form.bleedingMode === 'category'} onChange={() => setForm((f) => ({ ...f, bleedingMode: 'category' }))} /> Category</label>
            <label><input type="radio" name="bleeding-mode" checked={form.bleedingMode === 'factors'} onChange={() => setForm((f) => ({ ...f, bleedingMode: 'factors' }))} /> The 17 risk factors</label>
          </div>
          {form.bleedingMode === 'category' ? (
            <div class="row">
              <Select {...common('bleeding.risk')} label="Bleeding risk" options={BLEEDING_RISK} empty="Unknown" />
            </div>
          ) : (
            <fieldset class="factors" id={fieldId('bleeding.factors')} tabIndex={-1} aria-describedby={factorErrors.length ? 'factors-err' : undefined}>
              <legend>Risk factors present (none ticked = none present)</legend>
              <div class="checks">
                {BLEEDING_FACTORS.map(([id, l]) => (
                  <label key={id} class="check"><input type="checkbox" checked={form.factors.includes(id)}
                    onChange={(e) => { const on = (e.target as HTMLInputElement).checked; setForm((f) => ({ ...f, factors: on ? [...f.factors, id] : f.factors.filter((x) => x !== id) })); }} /> {l}</label>
                ))}
              </div>
              {factorErrors.length > 0 && <div class="field-error" id="factors-err">{factorErrors.map((e) => <div key={e.path + e.message}>{e.message}</div>)}</div>}
            </fieldset>
          )}
          <div class="row">
            <Tri {...common('bleeding.anticoagulation_contraindicated')} label="Anticoagulation contraindicated" />
          </div>
        </fieldset>

        <fieldset>
          <legend>5. Preferences</legend>
          <div class="row"><Select {...common('preferences.anticoagulation')} label="Patient preference" options={PREFERENCE} empty="Not asked" /></div>
        </fieldset>

        <fieldset>
          <legend>6. Patient profile</legend>
          <div class="row">
            <Field {...common('patient.age')} label="Age" unit="years" kind="number" width="narrow" />
            <Select {...common('patient.sex')} label="Sex" options={SEX} empty="Unknown" width="narrow" />
            <Select {...common('patient.pregnancy')} label="Pregnancy" options={PREGNANCY} empty="Unknown" />
            <Field {...common('patient.expected_delivery_date')} label="Expected delivery" kind="date" width="narrow" />
            <Field {...common('patient.delivery_date')} label="Delivery date" kind="date" width="narrow" />
            <Tri {...common('patient.breastfeeding')} label="Breastfeeding" />
            <Field {...common('patient.crcl_ml_min')} label="Creatinine clearance" unit="mL/min" kind="number" width="narrow" />
            <Tri {...common('patient.severe_liver_disease')} label="Severe liver disease" />
            <Tri {...common('patient.antiphospholipid_syndrome')} label="Antiphospholipid syndrome" />
          </div>
        </fieldset>
      </form>

      <aside class="result-panel" aria-labelledby="result-h">
        <h2 id="result-h">Result {busy && <span class="muted small" aria-hidden="true">updating…</span>}</h2>
        <ErrorBanner message={transport} />
        {stale && <div class="banner banner-warn" role="status">Fix the {errors.length} highlighted problem{errors.length > 1 ? 's' : ''} to update the result{result ? ' (the result below is for the last valid input)' : ''}.</div>}
        <div class={stale ? 'stale' : ''} aria-live="polite" aria-atomic="false">
          {result ? <AssessmentView a={result} onUnknown={focus} /> : !stale && <p class="muted">Assessing…</p>}
        </div>
        {result && !stale && (
          <section class="section no-print" aria-labelledby="save-h">
            <h2 id="save-h">Save and print</h2>
            <form class="row save" onSubmit={save} noValidate>
              <div class="field">
                <label for="patient-id">Patient identifier</label>
                <input id="patient-id" value={patient} onInput={(e) => setPatient((e.target as HTMLInputElement).value)} autoComplete="off"
                  aria-describedby={saveMsg?.errors?.length ? 'save-err' : undefined} />
              </div>
              <button type="submit" class="btn-primary">Save as episode</button>
              <button type="button" class="btn-secondary" onClick={() => window.print()}>Print</button>
            </form>
            {saveMsg && <div id="save-err" class={`banner banner-${saveMsg.tone}`} role="status">{saveMsg.text}</div>}
          </section>
        )}
        <details class="print-case">
          <summary>Case as sent to the server</summary>
          <pre>{JSON.stringify(body, null, 2)}</pre>
        </details>
      </aside>
      <button type="button" class="jump-result no-print" onClick={() => document.getElementById('result-h')?.scrollIntoView()}>
        {result ? `${result.recommendation.label}${stale ? ' (check the form)' : ''}` : 'Result'} ↓
      </button>
    </div>
  );
}
