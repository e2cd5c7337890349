// Registry dashboard (GET /api/v1/registry): squeezes per procedure and the proportions with
// their exact 95% intervals beside the published series, as the server computed them; CSV
// export is the server's own (format=csv).
import { useEffect, useState } from 'preact/hooks';
import { api, type Proportion, type Published, type Registry } from '../api';
import { BarChart, IntervalChart, type IntervalRow } from '../charts';
import { ErrorBanner, pct } from '../ui';
import { humanize } from '../vocab';

const ci = (x: { low: number; high: number } | null) => (x ? `${pct(x.low)} – ${pct(x.high)}` : '—');
const kn = (p: { k: number; n: number }) => `${p.k}/${p.n}`;

export function RegistryPage() {
  const [f, setF] = useState({ from: '', to: '', operator: '' });
  const [r, setR] = useState<Registry | null>(null);
  const [err, setErr] = useState<string | undefined>();
  useEffect(() => { api.registry(f).then((x) => { if (x.ok) { setR(x.data!); setErr(undefined); } else setErr(x.message); }); }, [f.from, f.to, f.operator]);
  const field = (k: 'from' | 'to' | 'operator', l: string, type = 'text') => (
    <div class="field narrow"><label for={`reg-${k}`}>{l}</label>
      <input id={`reg-${k}`} type={type} value={f[k]} onChange={(e) => setF((o) => ({ ...o, [k]: (e.target as HTMLInputElement).value }))} /></div>
  );
  const props: [string, Proportion, Published | null][] = r ? [
    ['Proximal migration', r.migration, r.published.migration],
    ['Recanalization', r.recanalization, r.published.recanalization],
    ['Complications', r.complications, r.published.complications],
    ['Major complications', r.major_complications, null],
  ] : [];
  const rows: IntervalRow[] = props.map(([l, p, pub]) => ({
    label: l,
    local: { est: p.estimate, ci: p.exact, text: p.no_data ? `${l}: no local data` : `${l}: local ${kn(p)} ${pct(p.estimate)}, exact 95% CI ${ci(p.exact)}` },
    published: { est: pub ? pub.k / pub.n : null, ci: pub?.interval ?? null, text: pub ? `${l}: published ${kn(pub)}, 95% CI ${ci(pub.interval)}` : '' },
  }));
  return (
    <div class="registry">
      <h1>Calf-squeeze registry</h1>
      <div class="toolbar">
        {field('from', 'From', 'date')}{field('to', 'To', 'date')}{field('operator', 'Operator')}
        <a class="btn-secondary" href={api.registryCsvUrl(f)} download="calfdvt-registry.csv" data-testid="csv">Export CSV</a>
      </div>
      <ErrorBanner message={err} />
      {r && <>
        <p class="summary" data-testid="registry-summary"><strong data-testid="reg-procedures">{r.procedures}</strong> procedures, <strong>{r.procedures_with_squeeze}</strong> with a squeeze, <strong data-testid="reg-squeezes">{r.squeezes.total}</strong> squeezes
          {r.squeezes.mean !== null && <> — mean <strong data-testid="reg-mean">{r.squeezes.mean.toFixed(2)}</strong>{r.squeezes.sd !== null && ` (SD ${r.squeezes.sd.toFixed(2)})`}, median {r.squeezes.median}, range {r.squeezes.min}–{r.squeezes.max}</>}
          . Published series ({r.published.label}): n = {r.published.procedures}, mean {r.published.squeezes.mean}, range {r.published.squeezes.min}–{r.published.squeezes.max}.</p>
        <div class="two-col">
          <section aria-labelledby="ch1"><h2 id="ch1">Squeezes per procedure</h2>
            <BarChart data={r.squeezes.distribution.map((d) => ({ x: d.squeezes, y: d.procedures }))} xLabel="squeezes in the procedure" yLabel="procedures"
              mark={{ from: r.published.squeezes.min, to: r.published.squeezes.max, text: 'published range' }}
              label={`Squeezes per procedure: ${r.squeezes.distribution.map((d) => `${d.procedures} procedure${d.procedures === 1 ? '' : 's'} with ${d.squeezes}`).join(', ')}. Published range ${r.published.squeezes.min} to ${r.published.squeezes.max}.`} />
          </section>
          <section aria-labelledby="ch2"><h2 id="ch2">Rates with 95% intervals</h2>
            <IntervalChart rows={rows} label={rows.map((x) => `${x.local.text}. ${x.published.text}`).join(' ')} />
          </section>
        </div>
        <div class="table-wrap"><table class="table" data-testid="proportions">
          <caption>Local rates (exact and Wilson {Math.round(r.confidence * 100)}% intervals) beside the published series. Overlap is a screening aid, not a test of equivalence.</caption>
          <thead><tr><th scope="col">Measure</th><th scope="col">Local k/n</th><th scope="col">Not recorded</th><th scope="col">Estimate</th><th scope="col">Exact CI</th><th scope="col">Wilson CI</th><th scope="col">Published</th><th scope="col">Overlap</th></tr></thead>
          <tbody>{props.map(([l, p, pub]) => (
            <tr key={l}><th scope="row">{l}</th><td>{kn(p)}</td><td>{p.unknown}</td><td>{p.no_data ? 'no data' : pct(p.estimate)}</td><td>{ci(p.exact)}</td><td>{ci(p.wilson)}</td>
              <td>{pub ? `${kn(pub)} (${ci(pub.interval)}${pub.interval_stated ? '' : ', computed'})` : '—'}</td><td>{pub?.overlap === null || !pub ? '—' : pub.overlap ? 'yes' : 'no'}</td></tr>
          ))}</tbody>
        </table></div>
        <h2>Protocol checks</h2>
        <table class="table"><thead><tr><th scope="col">Check</th><th scope="col">Severity</th><th scope="col">Fired</th><th scope="col">Unknown</th></tr></thead>
          <tbody>{r.checks.map((c) => <tr key={c.id}><th scope="row">{humanize(c.id)}</th><td>{c.severity}</td><td>{c.fired}</td><td>{c.unknown}</td></tr>)}</tbody></table>
        <p class="small muted">{r.published.population}. Knowledge {r.knowledge.id} {r.knowledge.version}.</p>
      </>}
    </div>
  );
}
