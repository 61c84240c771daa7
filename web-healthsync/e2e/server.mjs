// Starts the real `healthsync` binary for the browser tests and the schema check: a free
// port, a temporary data dir, the development sign-in, and the built app of this folder.
// Env: HEALTHSYNC_BIN (default ../target/debug/healthsync); HEALTHSYNC_E2E_URL uses a running
// server instead (started with --dev-issuer and the sample).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repo = resolve(web, '..');

export const freePort = () =>
  new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

/** `{ base, stop }` of a ready server; `logFile` receives its output (else ignored). */
export async function startHealthSync({ logFile, sample = true } = {}) {
  // A server someone already runs (the dev server, a deployment under test).
  if (process.env.HEALTHSYNC_E2E_URL) return { base: process.env.HEALTHSYNC_E2E_URL.replace(/\/$/, ''), stop: async () => {} };
  const bin = resolve(web, process.env.HEALTHSYNC_BIN ?? '../target/debug/healthsync');
  if (!existsSync(bin)) throw new Error(`no healthsync binary at ${bin}: run \`cargo build -p healthsync\` or set HEALTHSYNC_BIN`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'healthsync-e2e-'));
  const out = logFile ? openSync(logFile, 'w') : 'ignore';
  const server = spawn(bin, ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir, '--dev-issuer'], {
    cwd: repo,
    env: {
      ...process.env,
      HEALTHSYNC_GATEWAY__WEB_DIR: join(web, 'dist'),
      HEALTHSYNC_AUTH__OIDC__REDIRECT_URI: `${base}/auth/callback`,
      HEALTHSYNC_HEALTH__IMPORT_SAMPLE: String(sample),
      // The browser tests sign in several users from one address within a minute.
      HEALTHSYNC_RATE_LIMIT__ENABLED: 'false',
      HEALTHSYNC_LOG__LEVEL: process.env.HEALTHSYNC_LOG__LEVEL ?? 'info',
    },
    stdio: ['ignore', out, out],
  });
  let exited = false;
  server.on('exit', () => (exited = true));
  const stop = async () => {
    if (!exited) {
      server.kill('SIGTERM');
      await new Promise((r) => (exited ? r() : server.once('exit', r)));
    }
    if (!process.env.E2E_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`healthsync exited before it was ready${logFile ? `; see ${logFile}` : ''}`);
    }
    try {
      if ((await fetch(`${base}/health/ready`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error('healthsync was not ready within 120 s');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { base, stop, dataDir };
}
