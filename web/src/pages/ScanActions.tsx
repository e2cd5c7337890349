// Record a scan result, book or cancel a scan: one calfdvt/event@1 each, posted to the server,
// which answers the updated episode (new phase, alerts and, on extension, a new assessment).
import { useState } from 'preact/hooks';
import { api, today, type ApiError, type Episode } from '../api';
import { Field, Select, Tri } from '../ui';
import { SCAN_RESULTS } from '../vocab';

type Mode = 'result' | 'cancel' | 'book';

export function ScanActions({ episodeId, day, onDone, idPrefix }: { episodeId: string; day: number; onDone: (e: Episode) => void; idPrefix: string }) {
  const [mode, setMode] = useState<Mode | null>(null);
  const [date, setDate] = useState(today());
  const [result, setResult] = useState('');
  const [reason, setReason] = useState('');
  const [completes, setCompletes] = useState('');
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [msg, setMsg] = useState<string | undefined>();

  async function submit(e: Event) {
    e.preventDefault();
    const ev: Record<string, unknown> =
      mode === 'result' ? { type: 'scan_result', scan_day: day, date, ...(result ? { result } : {}) }
      : mode === 'book' ? { type: 'scan_booked', scan_day: day, date }
      : { type: 'scan_cancelled', scan_day: day, reason, ...(completes ? { completes_surveillance: completes === 'true' } : {}) };
    const r = await api.event(episodeId, ev);
    if (r.ok) { setMode(null); setErrors([]); setMsg(undefined); onDone(r.data!); }
    else { setErrors(r.errors.map((x) => ({ ...x, path: `${idPrefix}.${x.path}` }))); setMsg(r.message); }
  }
  const p = (k: string) => `${idPrefix}.${k}`;
  const open = (m: Mode) => { setMode(mode === m ? null : m); setErrors([]); setMsg(undefined); };
  return (
    <div class="scan-actions">
      <div class="btn-row">
        <button type="button" class="btn-secondary" aria-expanded={mode === 'result'} onClick={() => open('result')}>Record result<span class="sr-only"> for day {day}</span></button>
        <button type="button" class="btn-secondary" aria-expanded={mode === 'book'} onClick={() => open('book')}>Book<span class="sr-only"> day {day}</span></button>
        <button type="button" class="btn-secondary" aria-expanded={mode === 'cancel'} onClick={() => open('cancel')}>Cancel scan<span class="sr-only"> day {day}</span></button>
      </div>
      {mode && (
        <form class="inline-form" onSubmit={submit} noValidate aria-label={`${mode === 'result' ? 'Record the result of' : mode === 'book' ? 'Book' : 'Cancel'} the day-${day} scan`}>
          {mode !== 'cancel' && <Field path={p('date')} label={mode === 'book' ? 'Booked for' : 'Scan date'} kind="date" value={date} onInput={setDate} errors={errors} width="narrow" />}
          {mode === 'result' && <Select path={p('result')} label="Result" options={SCAN_RESULTS} empty="Choose" value={result} onInput={setResult} errors={errors} required />}
          {mode === 'cancel' && <>
            <Field path={p('reason')} label="Reason" value={reason} onInput={setReason} errors={errors} required width="wide" />
            <Tri path={p('completes_surveillance')} label="Completes surveillance" value={completes} onInput={setCompletes} errors={errors} />
          </>}
          <button type="submit" class="btn-primary">{mode === 'result' ? 'Save result' : mode === 'book' ? 'Save booking' : 'Cancel the scan'}</button>
          {msg && <div class="field-error" role="alert">{msg}</div>}
        </form>
      )}
    </div>
  );
}
