// Prints the size of the built app (web/dist): raw and gzip (level 9) per file and in total, and
// writes it to dist/../bundle-size.json for docs/web.md and the test log.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('../dist/', import.meta.url).pathname;
const walk = (dir) => readdirSync(dir).flatMap((n) => {
  const p = join(dir, n);
  return statSync(p).isDirectory() ? walk(p) : [p];
});
const rows = walk(root).sort().map((p) => {
  const bytes = readFileSync(p);
  return { file: relative(root, p), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip }), { raw: 0, gzip: 0 });
for (const r of rows) console.log(`${r.file.padEnd(40)} ${String(r.raw).padStart(8)} B  gzip ${String(r.gzip).padStart(7)} B`);
console.log(`${'total'.padEnd(40)} ${String(total.raw).padStart(8)} B  gzip ${String(total.gzip).padStart(7)} B`);
writeFileSync(new URL('../bundle-size.json', import.meta.url), JSON.stringify({ files: rows, total }, null, 2) + '\n');
