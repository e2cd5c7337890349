// Surveillance worklist: due / overdue / upcoming scans and standing alerts as of a date, in the
// server's urgency order (GET /api/v1/worklist), with counts; record results or cancel from here.
import { useEffect, useState } from 'preact/hooks';
import { api, today, type Worklist, type WorklistItem } from '../api';
import { Badge, ErrorBanner } from '../ui';
import { humanize } from '../vocab';
import { ScanActions } from './ScanActions';

const KINDS = ['alert', 'overdue', 'due', 'upcoming'] as const;
const kindOf = (it: WorklistItem) => (it.kind === 'alert' ? 'alert' : it.scan?.status ?? 'scan');

export function WorklistPage({ navigate }: { navigate: (h: string) => void }) {
  const [asOf, setAsOf] = useState(today());
  const [kinds, setKinds] = useState<string[]>([...KINDS]);
  const [data, setData] = useState<Worklist | null>(null);
  const [err, setErr] = useState<string | undefined>();
  const [patient, setPatient] = useState('');
  const [tick, setTick] = useState(0);
  const [note, setNote] = useState<string | undefined>();

  useEffect(() => {
    if (!kinds.length) { setData({ as_of: asOf, items: [], next_cursor: null }); return; }
    api.worklist(asOf, kinds.join(',')).then((r) => { if (r.ok) { setData(r.data!); setErr(undefined); } else setErr(r.message); });
  }, [asOf, kinds.join(','), tick]);

  const counts = Object.fromEntries(KINDS.map((k) => [k, data?.items.filter((i) => kindOf(i) === k).length ?? 0]));
  return (
    <div>
      <h1>Surveillance worklist</h1>
      <div class="toolbar">
        <div class="field narrow">
          <label for="wl-asof">As of</label>
          <input id="wl-asof" type="date" value={asOf} onInput={(e) => { const v = (e.target as HTMLInputElement).value; if (v) setAsOf(v); }} />
        </div>
        <fieldset class="inline">
          <legend>Show</legend>
          {KINDS.map((k) => (
            <label key={k} class="check"><input type="checkbox" checked={kinds.includes(k)}
              onChange={(e) => setKinds((ks) => ((e.target as HTMLInputElement).checked ? KINDS.filter((x) => ks.includes(x) || x === k) : ks.filter((x) => x !== k)))} />
              {' '}{k === 'alert' ? 'Alerts' : humanize(k)} <span class="count" data-testid={`count-${k}`}>{counts[k]}</span></label>
          ))}
        </fieldset>
        <form class="find" onSubmit={(e) => { e.preventDefault(); if (patient.trim()) navigate(`#/patient/${encodeURIComponent(patient.trim())}`); }}>
          <div class="field narrow">
            <label for="wl-patient">Find a patient</label>
            <input id="wl-patient" value={patient} onInput={(e) => setPatient((e.target as HTMLInputElement).value)} autoComplete="off" />
          </div>
          <button type="submit" class="btn-secondary">Find</button>
        </form>
      </div>
      <ErrorBanner message={err} />
      {note && <div class="banner banner-ok" role="status">{note}</div>}
      <p class="sr-only" aria-live="polite">{data ? `${data.items.length} items as of ${data.as_of}` : ''}</p>
      {data?.next_cursor && <p class="banner banner-warn">More than {data.items.length} items: the counts and the list show the {data.items.length} most urgent.</p>}
      {data && data.items.length === 0 && <p class="muted">Nothing to show as of {data.as_of}.</p>}
      {data && data.items.length > 0 && (
        <div class="table-wrap">
          <table class="table worklist" data-testid="worklist">
            <caption>{data.items.length} item{data.items.length > 1 ? 's' : ''} as of {data.as_of}, most urgent first</caption>
            <thead><tr><th scope="col">Urgency</th><th scope="col">Patient</th><th scope="col">What</th><th scope="col">Phase</th><th scope="col">Actions</th></tr></thead>
            <tbody>
              {data.items.map((it, i) => (
                <tr key={`${it.episode_id}-${it.kind}-${it.scan?.day ?? it.alert?.code}-${i}`} class={`wl-${kindOf(it)}`} data-patient={it.patient_id}>
                  <td><Badge tone={it.severity}>{kindOf(it)}</Badge></td>
                  <th scope="row"><a href={`#/episode/${it.episode_id}`}>{it.patient_id}</a><div class="small muted">scan {it.imaging_date}</div></th>
                  <td>
                    {it.scan && <div><strong>Day-{it.scan.day} duplex</strong> due {it.scan.due} (window {it.scan.window[0]} – {it.scan.window[1]}){it.scan.booked ? `, booked ${it.scan.booked}` : ', not booked'}</div>}
                    {it.alert && <div class="small">{it.alert.message}</div>}
                  </td>
                  <td>{humanize(it.phase)}</td>
                  <td>{it.scan ? <ScanActions episodeId={it.episode_id} day={it.scan.day} idPrefix={`wl${i}`}
                    onDone={(e) => { setNote(`${e.patient_id}: recorded; phase now ${humanize(e.phase)}${e.assessment ? `, ${e.assessment.recommendation.label}` : ''}.`); setTick((t) => t + 1); }} />
                    : <a href={`#/episode/${it.episode_id}`}>Open episode</a>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
