// One assessment (calfdvt/assessment@1) as the server computed it, in the order clinicians read a
// calculator: result -> next steps -> why -> evidence -> pitfalls. Display only.
import type { Assessment } from '../api';
import { Alerts, Badge, Sources, fmtValue, pct } from '../ui';
import { humanize } from '../vocab';

const dateFmt = (d: string | null | undefined) => d ?? '—';

export function AssessmentView({ a, onUnknown, compact }: { a: Assessment; onUnknown?: (path: string) => void; compact?: boolean }) {
  const present = a.features.filter((f) => f.status === 'present');
  const H = compact ? 'h4' : 'h3';
  return (
    <div class="assessment" data-strategy={a.strategy}>
      <div class={`recommendation strategy-${a.strategy}`}>
        <div class="rec-label" data-testid="recommendation">{a.recommendation.label}</div>
        <div class="rec-meta">
          <span>Strategy: <strong data-testid="strategy">{humanize(a.strategy)}</strong></span>
          {a.strength && <span>Strength: <strong>{a.strength}</strong></span>}
          <span>Classification: <strong>{humanize(a.classification)}</strong>{a.pattern && ` (${humanize(a.pattern)})`}</span>
          <span class="muted">{a.recommendation.rule} <Sources ids={a.recommendation.sources} /></span>
        </div>
        {a.shared_decision && (
          <div class="shared" data-testid="shared-decision">
            <Badge tone="info">shared decision</Badge> Discuss with the patient; the alternative is <strong>{humanize(a.alternative)}</strong>.
          </div>
        )}
      </div>

      <Alerts alerts={a.alerts} />

      <H>Next steps</H>
      {a.regimen && (
        <div class="next" data-testid="regimen">
          <dl class="kv">
            <dt>Regimen</dt><dd>{a.regimen.agent_label ?? humanize(a.regimen.agent)}</dd>
            <dt>Duration</dt><dd>at least {a.regimen.minimum_months} months{a.regimen.extended ? '; extended therapy considered' : ''}</dd>
            <dt>{a.regimen.extended ? 'First review' : 'Earliest stop'}</dt><dd data-testid="earliest-stop">{dateFmt(a.regimen.earliest_stop)}</dd>
          </dl>
          {a.regimen.notes.length > 0 && <ul class="notes">{a.regimen.notes.map((n) => <li key={n}>{n}</li>)}</ul>}
          <div class="muted small">{a.regimen.rule} <Sources ids={a.regimen.sources} /></div>
        </div>
      )}
      {a.surveillance && (
        <div class="next" data-testid="surveillance">
          <table class="table">
            <caption class="sr-only">Repeat duplex scans</caption>
            <thead><tr><th scope="col">Scan</th><th scope="col">Due</th><th scope="col">Window</th></tr></thead>
            <tbody>{a.surveillance.scans.map((s) => (
              <tr key={s.day}><th scope="row">Day {s.day}</th><td>{s.due}</td><td>{s.window[0]} – {s.window[1]}</td></tr>
            ))}</tbody>
          </table>
          <p>On extension: <strong>{humanize(a.surveillance.on_extension)}</strong>. Repeat the scan at once if symptoms worsen.</p>
          <div class="muted small">{a.surveillance.rule} <Sources ids={a.surveillance.sources} /></div>
        </div>
      )}
      {!a.regimen && !a.surveillance && <p class="muted">No regimen or surveillance plan applies to this result.</p>}

      <H>Why</H>
      {a.features.length > 0 ? (
        <>
          <p class="small">{present.length ? `${present.length} high-risk feature${present.length > 1 ? 's' : ''} present.` : 'No high-risk feature present.'}</p>
          <div class="table-wrap">
            <table class="table features" data-testid="features">
              <caption class="sr-only">High-risk features for extension</caption>
              <thead><tr><th scope="col">Feature</th><th scope="col">Status</th><th scope="col">Value</th><th scope="col">Threshold</th><th scope="col">Source</th></tr></thead>
              <tbody>{a.features.map((f) => (
                <tr key={f.id} class={`feature-${f.status}`} data-feature={f.id}>
                  <th scope="row">{f.label}{!f.counted && <span class="muted small"> (not counted in this profile)</span>}</th>
                  <td><Badge tone={f.status}>{f.status}</Badge></td>
                  <td>{fmtValue(f.value)}</td>
                  <td>{fmtValue(f.threshold)}</td>
                  <td><Sources ids={f.sources} /></td>
                </tr>
              ))}</tbody>
            </table>
          </div>
        </>
      ) : <p class="small muted">Features are assessed for isolated distal DVT only.</p>}
      {a.favouring_imaging.length > 0 && <p class="small">Favouring serial imaging: {a.favouring_imaging.map(humanize).join(', ')}.</p>}
      <p class="small">Bleeding risk: <strong>{a.bleeding.category}</strong>
        {a.bleeding.points !== null && a.bleeding.points !== undefined && ` (${a.bleeding.points} point${a.bleeding.points === 1 ? '' : 's'})`}
        {a.bleeding.major_bleeding_3mo !== null && ` — estimated 3-month major bleeding on anticoagulation ${pct(a.bleeding.major_bleeding_3mo)}`}
        {' '}<Sources ids={a.bleeding.sources} /></p>

      {a.decisive_unknowns.length > 0 && (
        <div class="decisive" data-testid="decisive-unknowns">
          <H>Decisive unknowns</H>
          <p class="small">Knowing these could change the strategy:</p>
          <ul class="chips">{a.decisive_unknowns.map((p) => (
            <li key={p}>{onUnknown ? <button type="button" class="chip" onClick={() => onUnknown(p)}>{p}</button> : <code>{p}</code>}</li>
          ))}</ul>
        </div>
      )}

      <H>Evidence</H>
      <ul class="evidence">{a.evidence.map((e) => (
        <li key={e.source + e.claim}>{e.claim} <span class="muted">— {e.source}</span>{e.citation && <div class="citation small muted">{e.citation}</div>}</li>
      ))}</ul>

      <H>Pitfalls and basis</H>
      {a.notes.length > 0 && <ul class="notes">{a.notes.map((n) => <li key={n}>{n}</li>)}</ul>}
      {a.unknowns.length > 0 && <p class="small">Unknown inputs ({a.unknowns.length}): {a.unknowns.map((u) => <code key={u}>{u} </code>)}</p>}
      <details>
        <summary>Rule trace</summary>
        <ol class="trace small">{a.trace.map((t) => <li key={t}>{t}</li>)}</ol>
        <ul class="small">{a.rules.map((r) => <li key={r.id}><strong>{r.id}</strong> {r.title} <Sources ids={r.sources} /></li>)}</ul>
      </details>
      <p class="knowledge small muted" data-testid="knowledge">Knowledge {a.knowledge.id} {a.knowledge.version}, profile {a.knowledge.profile}, SHA-256 <code>{a.knowledge.sha256.slice(0, 12)}…</code> · assessed as of {a.as_of}</p>
    </div>
  );
}
