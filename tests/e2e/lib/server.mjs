// Starts the release binary (`calfdvt serve --demo`) on a fresh SQLite database and a free
// loopback port; the binary serves the embedded web app at "/".
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = process.env.CALFDVT_BIN ?? resolve(new URL('.', import.meta.url).pathname, '../../../build/src/cli/calfdvt');

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

// E2E_URL=http://HOST:PORT uses a server that is already running (debugging only: the tests add
// data to it).
export async function startServer() {
  if (process.env.E2E_URL) return { url: process.env.E2E_URL, log: () => '', async stop() {} };
  const dir = mkdtempSync(join(tmpdir(), 'calfdvt-e2e-'));
  const port = await freePort();
  const child = spawn(BIN, ['serve', '--demo', '--db', `sqlite:${join(dir, 'e2e.db')}`, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`calfdvt exited (${child.exitCode}):\n${log}`);
    try { if ((await fetch(`${url}/healthz`)).ok) break; } catch { /* not yet */ }
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`calfdvt did not start:\n${log}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    log: () => log,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => { const t = setTimeout(() => { child.kill('SIGKILL'); r(); }, 5000); child.on('exit', () => { clearTimeout(t); r(); }); });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
