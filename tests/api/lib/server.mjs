// Spawns `calfdvt serve` on a fresh database for the real-HTTP suite.
//
//   CALFDVT_BIN           the calfdvt binary (default: ../../build/src/cli/calfdvt from here)
//   CALFDVT_TEST_PG_URL   a PostgreSQL URL whose user may CREATE DATABASE; without it the
//                         PostgreSQL variants are skipped (scripts/test.sh always sets it)
//
// Every server and every temporary database is tracked and torn down in the test files' after()
// hooks (stopAll / drop); a process 'exit' hook SIGKILLs any server still running as a last resort.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(here, '..', '..', '..');
export const BIN = process.env.CALFDVT_BIN || join(REPO, 'build', 'src', 'cli', 'calfdvt');
export const PG_URL = process.env.CALFDVT_TEST_PG_URL || '';

if (!existsSync(BIN)) {
  throw new Error(`calfdvt binary not found at ${BIN}: build it and set CALFDVT_BIN`);
}

const PG_SKIP = PG_URL
  ? false
  : 'CALFDVT_TEST_PG_URL is not set: PostgreSQL variant skipped (scripts/test.sh sets it)';

// The backends every suite runs on. `skip` is false or the reason (node:test prints it).
export const BACKENDS = [
  { name: 'sqlite', skip: false },
  { name: 'postgresql', skip: PG_SKIP },
];
export const POSTGRESQL = BACKENDS[1];

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 20_000;
const live = new Set();

process.on('exit', () => {
  for (const s of live) {
    try { s.proc.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

export function psql(url, sql) {
  const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.error) throw new Error(`psql: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`psql failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

// A fresh, empty database: { backend, url, drop() }. PostgreSQL: a new database on the server of
// CALFDVT_TEST_PG_URL (dropped with FORCE afterwards); SQLite: a file in a new temp directory.
export function freshDb(backend) {
  const name = typeof backend === 'string' ? backend : backend.name;
  if (name === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'calfdvt-api-'));
    return {
      backend: name,
      path: join(dir, 'calfdvt.db'),
      url: `sqlite:${join(dir, 'calfdvt.db')}`,
      drop() { rmSync(dir, { recursive: true, force: true }); },
    };
  }
  if (name === 'postgresql') {
    if (!PG_URL) throw new Error('CALFDVT_TEST_PG_URL is not set');
    const db = `calfdvt_api_${process.pid}_${randomBytes(4).toString('hex')}`;
    psql(PG_URL, `CREATE DATABASE ${db}`);
    const u = new URL(PG_URL);
    u.pathname = `/${db}`;
    let dropped = false;
    return {
      backend: name,
      url: u.toString(),
      drop() {
        if (dropped) return;
        dropped = true;
        psql(PG_URL, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      },
    };
  }
  throw new Error(`unknown backend ${name}`);
}

function tail(s, n = 4000) {
  return s.length > n ? `...${s.slice(-n)}` : s;
}

// Starts `calfdvt serve --db DB --listen 127.0.0.1:0 [--no-auth] ARGS...` and waits for its
// "calfdvt listening on http://HOST:PORT/" line. Options:
//   auth: 'open' (default: --no-auth), 'tokens' (no flag), 'demo' (--demo)
//   args: extra arguments (e.g. ['--max-body', '2048'])
// Returns { url, proc, exited, stderr(), stop(signal) }: `url` ends without '/', `exited` resolves
// to { code, signal } when the process ends, stop() sends `signal` (default SIGTERM; SIGKILL for a
// crash; null to send nothing) and resolves to the same once the process has exited.
export async function startServer(db, { auth = 'open', args = [], listen = '127.0.0.1:0' } = {}) {
  const argv = ['serve', '--db', db.url, '--listen', listen];
  if (auth === 'open') argv.push('--no-auth');
  else if (auth === 'demo') argv.push('--demo');
  argv.push(...args);
  const proc = spawn(BIN, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise((res) => {
    proc.on('exit', (code, signal) => res({ code, signal }));
  });
  const server = { proc, exited, url: '', stderr: () => err, stdout: () => out };
  live.add(server);
  exited.then(() => live.delete(server));
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => {
    err += d;
    if (err.length > 1 << 20) err = err.slice(-(1 << 19));  // access logs can grow
  });
  proc.stdout.setEncoding('utf8');
  const url = await new Promise((res, rej) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      rej(new Error(`calfdvt serve did not report "listening on" within ${START_TIMEOUT_MS} ms\n${tail(err)}`));
    }, START_TIMEOUT_MS);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+?)\/(\s|$)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[1]);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      rej(new Error(`calfdvt serve exited (code ${code}, signal ${signal}) before listening\n${tail(err)}`));
    });
  });
  server.url = url;
  // Sends `signal` (unless null: then only waits) and waits, bounded, for the exit.
  server.stop = async (signal = 'SIGTERM') => {
    if (signal && proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    let timer;
    const timeout = new Promise((_, rej) => {
      timer = setTimeout(() => {
        proc.kill('SIGKILL');
        rej(new Error(`calfdvt serve did not exit within ${STOP_TIMEOUT_MS} ms${signal ? ` of ${signal}` : ''}\n${tail(err)}`));
      }, STOP_TIMEOUT_MS);
    });
    try {
      return await Promise.race([exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
  return server;
}

// Kills every server still running (SIGKILL): for after() hooks.
export async function stopAll() {
  await Promise.all([...live].map((s) => (s.stop ? s.stop('SIGKILL') : (s.proc.kill('SIGKILL'), s.exited))));
}

// Runs the calfdvt binary to completion: { code, signal, stdout, stderr }.
export function runCli(args, { timeoutMs = 20_000 } = {}) {
  return new Promise((res, rej) => {
    const proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    proc.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      rej(new Error(`calfdvt ${args.join(' ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      res({ code, signal, stdout, stderr });
    });
  });
}

// `calfdvt token create`: the secret it prints.
export async function createToken(db, role, label) {
  const r = await runCli(['token', 'create', '--db', db.url, '--role', role, '--label', label]);
  if (r.code !== 0) throw new Error(`token create failed (${r.code}): ${r.stderr}`);
  const secret = r.stdout.trim();
  if (!/^\S+$/.test(secret)) throw new Error(`token create printed ${JSON.stringify(r.stdout)}`);
  return secret;
}
