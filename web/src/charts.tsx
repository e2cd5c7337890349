// Two small hand-written SVG charts (no chart library: see docs/web.md). Each has a text
// alternative (role="img" + aria-label) and the same numbers are in a table beside it.
import type { Interval } from './api';

export function BarChart({ data, label, xLabel, yLabel, mark }: {
  data: { x: number; y: number }[]; label: string; xLabel: string; yLabel: string;
  mark?: { from: number; to: number; text: string }; // a shaded x range (e.g. the published range)
}) {
  const W = 420, H = 200, L = 40, B = 36, T = 14, R = 10;
  const xs = data.map((d) => d.x);
  const xmin = Math.min(0, ...xs, mark?.from ?? 0), xmax = Math.max(3, ...xs, mark?.to ?? 0);
  const ymax = Math.max(1, ...data.map((d) => d.y));
  const n = xmax - xmin + 1, bw = (W - L - R) / n;
  const X = (x: number) => L + (x - xmin) * bw;
  const Y = (y: number) => H - B - (y / ymax) * (H - B - T);
  const ticks = Array.from(new Set([0, Math.ceil(ymax / 2), ymax]));
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
      {mark && <rect x={X(mark.from)} y={T} width={(mark.to - mark.from + 1) * bw} height={H - B - T} class="mark" />}
      {ticks.map((t) => <g key={t}><line x1={L} x2={W - R} y1={Y(t)} y2={Y(t)} class="grid" /><text x={L - 6} y={Y(t) + 4} class="tick" text-anchor="end">{t}</text></g>)}
      {data.map((d) => <rect key={d.x} x={X(d.x) + bw * 0.15} width={bw * 0.7} y={Y(d.y)} height={H - B - Y(d.y)} class="bar"><title>{`${d.x} squeezes: ${d.y} procedures`}</title></rect>)}
      {mark && <text x={X(mark.from) + 4} y={T + 12} class="mark-text">{mark.text}</text>}
      {Array.from({ length: n }, (_, i) => xmin + i).map((x) => <text key={x} x={X(x) + bw / 2} y={H - B + 16} class="tick" text-anchor="middle">{x}</text>)}
      <text x={(L + W - R) / 2} y={H - 4} class="axis" text-anchor="middle">{xLabel}</text>
      <text x={12} y={(H - B) / 2} class="axis" text-anchor="middle" transform={`rotate(-90 12 ${(H - B) / 2})`}>{yLabel}</text>
    </svg>
  );
}

export interface IntervalRow { label: string; local: { est: number | null; ci: Interval | null; text: string }; published: { est: number | null; ci: Interval | null; text: string } }

// Estimates with their 95% intervals on a 0-100% axis: local (filled) above published (hollow).
export function IntervalChart({ rows, label }: { rows: IntervalRow[]; label: string }) {
  const W = 520, L = 150, R = 16, rowH = 46, T = 10, B = 44;
  const H = T + rows.length * rowH + B;
  const X = (p: number) => L + p * (W - L - R);
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
      {[0, 0.25, 0.5, 0.75, 1].map((p) => <g key={p}><line x1={X(p)} x2={X(p)} y1={T} y2={H - B} class="grid" /><text x={X(p)} y={H - B + 16} class="tick" text-anchor="middle">{p * 100}%</text></g>)}
      {rows.map((r, i) => {
        const y = T + i * rowH + 14;
        const line = (v: IntervalRow['local'], yy: number, cls: string) => v.ci ? (
          <g class={cls}><line x1={X(v.ci.low)} x2={X(v.ci.high)} y1={yy} y2={yy} class="ci" />
            <line x1={X(v.ci.low)} x2={X(v.ci.low)} y1={yy - 5} y2={yy + 5} class="ci" /><line x1={X(v.ci.high)} x2={X(v.ci.high)} y1={yy - 5} y2={yy + 5} class="ci" />
            {v.est !== null && <circle cx={X(v.est)} cy={yy} r={5} class="pt" />}<title>{v.text}</title></g>
        ) : <text x={X(0) + 4} y={yy + 4} class="tick">{cls === 'local' ? 'local: no data' : 'published: —'}</text>;
        return <g key={r.label}><text x={L - 8} y={y + 8} class="axis" text-anchor="end">{r.label}</text>{line(r.local, y, 'local')}{line(r.published, y + 16, 'published')}</g>;
      })}
      <g transform={`translate(${L}, ${H - 6})`}><circle cx={4} cy={-4} r={4} class="local pt" /><text x={12} y={0} class="tick">local (exact 95% CI)</text>
        <circle cx={150} cy={-4} r={4} class="published pt" /><text x={158} y={0} class="tick">published series</text></g>
    </svg>
  );
}
