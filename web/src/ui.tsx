// Small accessible building blocks: labelled fields whose server error sits beside them
// (aria-invalid + aria-describedby), badges, sections. No clinical content.
import type { ComponentChildren } from 'preact';
import type { ApiError } from './api';
import type { Option } from './vocab';

// HTML ids from JSON paths: "imaging.thrombi[0].length_cm" -> "f-imaging-thrombi-0-length_cm".
export const fieldId = (path: string) => 'f-' + path.replace(/[.[\]]+/g, '-').replace(/-$/, '');

export function errorsAt(errors: ApiError[], path: string): ApiError[] {
  return errors.filter((e) => e.path === path);
}

interface FieldProps {
  path: string;
  label: string;
  hint?: string;
  errors: ApiError[];
  value: string;
  onInput: (v: string) => void;
  kind?: 'text' | 'number' | 'date';
  unit?: string;
  required?: boolean;
  width?: 'narrow' | 'wide';
}

function Messages({ id, hint, errs }: { id: string; hint?: string; errs: ApiError[] }) {
  return (
    <>
      {hint && <div class="hint" id={`${id}-hint`}>{hint}</div>}
      {errs.length > 0 && (
        <div class="field-error" id={`${id}-err`}>
          {errs.map((e) => <div key={e.rule + e.message}>{e.message}</div>)}
        </div>
      )}
    </>
  );
}

const describedBy = (id: string, hint?: string, errs?: ApiError[]) =>
  [hint ? `${id}-hint` : '', errs && errs.length ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;

export function Field(p: FieldProps) {
  const id = fieldId(p.path);
  const errs = errorsAt(p.errors, p.path);
  return (
    <div class={`field ${p.width ?? ''} ${errs.length ? 'invalid' : ''}`}>
      <label for={id}>{p.label}{p.unit && <span class="unit"> ({p.unit})</span>}{p.required && <span class="req" aria-hidden="true"> *</span>}</label>
      <input
        id={id}
        type={p.kind === 'date' ? 'date' : 'text'}
        inputMode={p.kind === 'number' ? 'decimal' : undefined}
        value={p.value}
        required={p.required}
        aria-invalid={errs.length ? 'true' : undefined}
        aria-describedby={describedBy(id, p.hint, errs)}
        onInput={(e) => p.onInput((e.target as HTMLInputElement).value)}
        autoComplete="off"
      />
      <Messages id={id} hint={p.hint} errs={errs} />
    </div>
  );
}

interface SelectProps extends Omit<FieldProps, 'kind' | 'unit'> {
  options: Option[];
  empty?: string; // label of the "" option (unknown / choose); omit for no empty option
}

export function Select(p: SelectProps) {
  const id = fieldId(p.path);
  const errs = errorsAt(p.errors, p.path);
  return (
    <div class={`field ${p.width ?? ''} ${errs.length ? 'invalid' : ''}`}>
      <label for={id}>{p.label}{p.required && <span class="req" aria-hidden="true"> *</span>}</label>
      <select
        id={id}
        value={p.value}
        required={p.required}
        aria-invalid={errs.length ? 'true' : undefined}
        aria-describedby={describedBy(id, p.hint, errs)}
        onChange={(e) => p.onInput((e.target as HTMLSelectElement).value)}
      >
        {p.empty !== undefined && <option value="">{p.empty}</option>}
        {p.options.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </select>
      <Messages id={id} hint={p.hint} errs={errs} />
    </div>
  );
}

// Yes / No / Unknown: unknown is never false (docs/formats.md).
export const TRI: Option[] = [['true', 'Yes'], ['false', 'No']];
export function Tri(p: Omit<SelectProps, 'options' | 'empty'>) {
  return <Select {...p} options={TRI} empty="Unknown" />;
}

export function Badge({ tone, children }: { tone: string; children: ComponentChildren }) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

export function Section({ id, title, children, level = 2 }: { id?: string; title: string; children: ComponentChildren; level?: 2 | 3 }) {
  const H = level === 2 ? 'h2' : 'h3';
  return (
    <section class="section" aria-labelledby={id ? `${id}-h` : undefined} id={id}>
      <H id={id ? `${id}-h` : undefined}>{title}</H>
      {children}
    </section>
  );
}

export function Alerts({ alerts }: { alerts: { code: string; severity: string; message: string; rule?: string }[] }) {
  if (!alerts.length) return null;
  return (
    <ul class="alerts">
      {alerts.map((a, i) => (
        <li key={a.code + i} class={`alert alert-${a.severity}`} data-code={a.code}>
          <Badge tone={a.severity}>{a.severity}</Badge> <span class="alert-msg">{a.message}</span>
          {a.rule && <span class="muted"> ({a.rule})</span>}
        </li>
      ))}
    </ul>
  );
}

export function Sources({ ids }: { ids?: string[] }) {
  if (!ids || !ids.length) return null;
  return <span class="sources">{ids.map((s) => <span key={s} class={`src src-${s}`}>{s}</span>)}</span>;
}

export function ErrorBanner({ message }: { message?: string }) {
  if (!message) return null;
  return <div class="banner banner-error" role="alert">{message}</div>;
}

export const fmtValue = (v: unknown): string => {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.join(', ');
  return String(v).replace(/_/g, ' ');
};
export const pct = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)}%`);
