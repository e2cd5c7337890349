// A procedure's audit trail (GET /api/v1/procedures/{id}/audit): who created it, logged each
// squeeze and recorded or corrected the outcome, with what each outcome recording replaced. The
// entries are shown as the server stored them; nothing is derived here.
import { useEffect, useState } from 'preact/hooks';
import { api, type AuditEntry } from '../api';
import { fmtValue } from '../ui';
import { COMPLICATIONS, label, veinLabel } from '../vocab';

function outcomeText(o: any): string {
  if (!o) return '';
  const parts: string[] = [];
  const r = o.result;
  if (!r) parts.push('result not recorded');
  else {
    if ('antegrade_flow' in r) parts.push(`antegrade flow ${fmtValue(r.antegrade_flow)}`);
    if ('residual_thrombus_percent' in r) parts.push(`residual thrombus ${r.residual_thrombus_percent}%`);
    if ('stent' in r) parts.push(`stent ${fmtValue(r.stent)}`);
    if (!Object.keys(r).length) parts.push('result empty');
  }
  const c = o.complications;
  if (!c) parts.push('complications not recorded');
  else if (!c.length) parts.push('no complication');
  else parts.push(c.map((x: any) => `${label(COMPLICATIONS, x.type)}${x.severity ? ` (${x.severity})` : ''}`).join(', '));
  return parts.join('; ');
}

function changeText(a: AuditEntry): string {
  const ch: any = a.change ?? {};
  if (a.action === 'procedure.squeeze') return (ch.squeeze?.target_veins ?? []).map(veinLabel).join(', ');
  if (a.action === 'procedure.outcome') return `${outcomeText(ch.outcome?.recorded)} — replaced: ${outcomeText(ch.outcome?.replaced)}`;
  return '';
}

// Re-reads the trail whenever `version` changes (each squeeze or outcome bumps it).
export function ProcedureAudit({ id, version }: { id: string; version: number }) {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  useEffect(() => { api.procedureAudit(id).then((r) => r.ok && setEntries(r.data!.entries)); }, [id, version]);
  return (
    <section aria-labelledby="pa-h">
      <h2 id="pa-h">Audit trail</h2>
      <div class="table-wrap"><table class="table small" data-testid="procedure-audit">
        <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Version</th><th scope="col">Change</th></tr></thead>
        <tbody>{entries.map((a) => (
          <tr key={a.id}><td>{a.at}</td><td>{a.actor}</td><td>{a.action}</td><td>{String((a.change as any)?.version ?? 0)}</td><td>{changeText(a)}</td></tr>
        ))}</tbody>
      </table></div>
    </section>
  );
}
