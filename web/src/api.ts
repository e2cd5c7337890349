// The one place the app talks to calfdvt: same-origin JSON over /api/v1 (docs/api.md). Every
// clinical result shown in the app comes from these calls; the app computes nothing clinical.

export interface ApiError { path: string; rule: string; message: string }

export interface ApiResult<T> {
  ok: boolean;
  status: number;
  data?: T;
  errors: ApiError[];   // 4xx: the server's validation messages, each naming its JSON path
  message?: string;     // the first error's message, or a transport problem
}

// With authentication on (no --demo / --no-auth), an API token (`calfdvt token create`) entered in
// the app is kept for this browser tab only (sessionStorage) and sent as a bearer token.
const TOKEN_KEY = 'calfdvt-token';
export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY) ?? '',
  set: (t: string) => (t ? sessionStorage.setItem(TOKEN_KEY, t) : sessionStorage.removeItem(TOKEN_KEY)),
};

async function call<T>(method: string, url: string, body?: unknown, signal?: AbortSignal): Promise<ApiResult<T>> {
  let res: Response;
  try {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (token.get()) headers.authorization = `Bearer ${token.get()}`;
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    return { ok: false, status: 0, errors: [], message: 'The calfdvt server cannot be reached. Is `calfdvt serve` running?' };
  }
  const text = await res.text();
  let json: any = undefined;
  try { json = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
  if (res.ok) return { ok: true, status: res.status, data: json as T, errors: [] };
  if (res.status === 401) dispatchEvent(new Event('calfdvt-unauthorized'));
  const errors: ApiError[] = json?.errors ?? (json?.error ? [{ path: json.error.path ?? '', rule: json.error.code, message: json.error.message }] : []);
  return { ok: false, status: res.status, errors, message: errors[0]?.message ?? `HTTP ${res.status}` };
}

const q = (params: Record<string, string | number | undefined | null>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const t = s.toString();
  return t ? `?${t}` : '';
};

export const api = {
  knowledge: () => call<Knowledge>('GET', '/api/v1/knowledge'),
  assess: (c: unknown, profile: string, signal?: AbortSignal) => call<Assessment>('POST', `/api/v1/assess${q({ profile })}`, c, signal),
  createEpisode: (c: unknown, patient: string, profile: string) => call<Episode>('POST', `/api/v1/episodes${q({ patient, profile })}`, c),
  episodes: (patient: string, as_of?: string) => call<{ patient_id: string; episodes: Episode[] }>('GET', `/api/v1/episodes${q({ patient, as_of })}`),
  episode: (id: string, as_of?: string) => call<Episode>('GET', `/api/v1/episodes/${encodeURIComponent(id)}${q({ as_of })}`),
  audit: (id: string) => call<{ entries: AuditEntry[] }>('GET', `/api/v1/episodes/${encodeURIComponent(id)}/audit`),
  event: (id: string, ev: unknown) => call<Episode>('POST', `/api/v1/episodes/${encodeURIComponent(id)}/events`, ev),
  worklist: (as_of: string, status: string, cursor?: string) =>
    call<Worklist>('GET', `/api/v1/worklist${q({ as_of, status, limit: 500, cursor })}`),
  procedures: (p: { from?: string; to?: string; operator?: string }) => call<{ procedures: ProcedureDoc[] }>('GET', `/api/v1/procedures${q({ ...p, limit: 500 })}`),
  procedure: (id: string) => call<ProcedureDoc>('GET', `/api/v1/procedures/${encodeURIComponent(id)}`),
  createProcedure: (p: unknown) => call<ProcedureDoc>('POST', '/api/v1/procedures', p),
  squeeze: (id: string, version: number, s: unknown) =>
    call<ProcedureDoc>('POST', `/api/v1/procedures/${encodeURIComponent(id)}/squeezes${q({ expected_version: version })}`, s),
  procedureAudit: (id: string) => call<{ procedure_id: string; entries: AuditEntry[] }>('GET', `/api/v1/procedures/${encodeURIComponent(id)}/audit`),
  // Replaces the procedure's result and complications (docs/api.md "Procedure outcome").
  outcome: (id: string, version: number, o: unknown) =>
    call<ProcedureDoc>('PUT', `/api/v1/procedures/${encodeURIComponent(id)}/outcome${q({ expected_version: version })}`, o),
  registry: (p: { from?: string; to?: string; operator?: string }) => call<Registry>('GET', `/api/v1/registry${q({ ...p, format: 'json' })}`),
  registryCsvUrl: (p: { from?: string; to?: string; operator?: string }) => `/api/v1/registry${q({ ...p, format: 'csv' })}`,
};

export interface Knowledge {
  id: string; version: string; sha256: string; title: string; default_profile: string;
  profiles: { id: string; label: string; description: string }[];
}

export interface Feature {
  id: string; label: string; status: 'present' | 'absent' | 'unknown'; counted: boolean;
  value: unknown; threshold: unknown; rule: string; sources: string[];
}
export interface Alert { code: string; severity: 'info' | 'warning' | 'critical'; message: string; rule?: string; sources?: string[]; scan_day?: number }
export interface Scan { day: number; due: string; window: [string, string] }
export interface Assessment {
  format: string; case_id?: string; as_of: string; classification: string; pattern: string | null;
  strategy: string; strength: string | null; shared_decision: boolean; alternative: string | null;
  recommendation: { label: string; rule: string; sources: string[] };
  features: Feature[]; favouring_imaging: string[]; notes: string[];
  bleeding: { category: string; points: number | null; major_bleeding_3mo: number | null; basis?: string; sources?: string[] };
  regimen: null | { agent: string; agent_label?: string; minimum_months: number; extended: boolean; earliest_stop: string | null; notes: string[]; rule?: string; sources?: string[] };
  surveillance: null | { scans: Scan[]; on_extension: string; rule?: string; sources?: string[] };
  alerts: Alert[]; unknowns: string[]; decisive_unknowns: string[];
  evidence: { claim: string; source: string; citation?: string }[];
  trace: string[]; rules: { id: string; title: string; sources: string[] }[];
  knowledge: { id: string; profile: string; version: string; sha256: string };
}
export interface EpisodeScan extends Scan {
  status: 'upcoming' | 'due' | 'overdue' | 'completed' | 'cancelled'; booked: string | null;
  result: string | null; performed: string | null; cancel_reason: string | null;
}
export interface Episode {
  id: string; patient_id: string; version: number; created_at: string; created_by: string; as_of: string;
  phase: string; phase_reason: string | null; classification: string; strategy: string; anticoagulated: boolean;
  imaging_date: string; scans: EpisodeScan[]; alerts: Alert[]; assessment: Assessment;
  assessments: { seq: number; at: string; assessment: Assessment }[];
  events: { seq: number; type: string; actor: string; at: string; event: Record<string, unknown>; reassessed: boolean }[];
  case: unknown; knowledge: Assessment['knowledge'];
}
export interface AuditEntry { id: number; actor: string; at: string; action: string; change: Record<string, unknown> }
export interface WorklistItem {
  rank: number; kind: 'alert' | 'scan'; episode_id: string; patient_id: string; phase: string; imaging_date: string;
  severity: string; alert?: Alert; scan?: { day: number; due: string; window: [string, string]; status: string; booked: string | null };
}
export interface Worklist { as_of: string; items: WorklistItem[]; next_cursor: string | null }

export interface Check { id: string; severity: string; status: 'fired' | 'not_fired' | 'unknown'; title: string; message: string; basis: string; sources: string[]; detail: string }
export interface ProcedureReport {
  format: string; procedure: Record<string, any>;
  outcomes: { squeeze_count: number; migration: boolean | null; removal_percent: number | null; removal_grade: string | null;
    recanalization: boolean | null; complication: boolean | null; major_complication: boolean | null };
  checks: Check[]; sources: { id: string; label: string; citation: string; to_confirm: string | null }[];
  knowledge: { id: string; version: string; sha256: string };
}
export interface ProcedureDoc { id: string; version: number; created_at: string; created_by: string; report: ProcedureReport }
export interface Interval { low: number; high: number }
export interface Proportion { k: number; n: number; unknown: number; estimate: number | null; exact: Interval | null; wilson: Interval | null; no_data: boolean }
export interface Published { k: number; n: number; interval: Interval | null; interval_stated: boolean; overlap: boolean | null }
export interface Registry {
  format: string; knowledge: { id: string; version: string; sha256: string }; confidence: number;
  records: number; procedures: number; procedures_with_squeeze: number;
  squeezes: { total: number; mean: number | null; sd: number | null; median: number | null; min: number | null; max: number | null; distribution: { squeezes: number; procedures: number }[] };
  migration: Proportion; recanalization: Proportion; complications: Proportion; major_complications: Proportion;
  removal_grades: Record<string, number>;
  checks: { id: string; severity: string; fired: number; unknown: number }[];
  published: { source: string; label: string; population: string; procedures: number;
    squeezes: { mean: number; min: number; max: number; local_range_within: boolean | null };
    migration: Published; recanalization: Published; complications: Published };
}

// Local calendar date (the browser's "today"), YYYY-MM-DD.
export function today(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
