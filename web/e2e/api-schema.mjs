#!/usr/bin/env node
// src/api/schema.ts from the server's OpenAPI document, generated exactly as the
// openapi-typescript CLI does (same header, default options, Redocly "minimal" config).
//
//   node e2e/api-schema.mjs write   # npm run gen:api   — rewrite src/api/schema.ts
//   node e2e/api-schema.mjs check   # npm run check:api — exit 1 when it is out of step
//
// The document comes from TRIPGEN_URL when set (a running server), else the script starts
// TRIPGEN_BIN (default ../target/debug/tripgen) on a free port with an empty temporary data
// dir and no catalogue, and stops it afterwards. e2e/run.mjs calls `checkSchema` against
// its own server, so CI fails when the API changed and schema.ts was not regenerated.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
// openapi-typescript's own dependency (same version as its CLI uses, hoisted by npm ci).
import { createConfig } from '@redocly/openapi-core';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_FILE = join(web, 'src', 'api', 'schema.ts');

/** The TypeScript text for the document at `${base}/api/openapi.json`. */
export async function generateSchema(base) {
  // As bin/cli.js does without flags or redocly.yaml: default options and a Redocly config
  // that extends "minimal" (openapiTS's own default adds a unique-operationId rule the API,
  // with the same handler names under /trips and /ai, does not meet).
  const redocly = await createConfig({}, { extends: ['minimal'] });
  const ast = await openapiTS(new URL('/api/openapi.json', base), { redocly, silent: true });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}

/** `undefined` when src/api/schema.ts matches the server, else a message saying what to do. */
export async function checkSchema(base) {
  const fresh = await generateSchema(base);
  const current = existsSync(SCHEMA_FILE) ? readFileSync(SCHEMA_FILE, 'utf8') : '';
  if (fresh === current) return undefined;
  const a = current.split('\n');
  const b = fresh.split('\n');
  let line = 0;
  while (line < a.length && line < b.length && a[line] === b[line]) line++;
  return (
    `web/src/api/schema.ts is out of step with the server's OpenAPI document ` +
    `(first difference at line ${line + 1}: have ${JSON.stringify(a[line] ?? '<end>')}, ` +
    `server says ${JSON.stringify(b[line] ?? '<end>')}). ` +
    `Run \`npm run gen:api\` in web/ (it starts ../target/debug/tripgen itself) and commit the result.`
  );
}

const freePort = () =>
  new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

/** Runs `fn(base)` against TRIPGEN_URL, or against a throwaway server of TRIPGEN_BIN. */
async function withServer(fn) {
  if (process.env.TRIPGEN_URL) return fn(process.env.TRIPGEN_URL.replace(/\/$/, ''));
  const bin = resolve(web, process.env.TRIPGEN_BIN ?? '../target/debug/tripgen');
  if (!existsSync(bin)) throw new Error(`no tripgen binary at ${bin}: run \`cargo build -p tripgen\` or set TRIPGEN_BIN / TRIPGEN_URL`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'tripgen-schema-'));
  // The data dir as working directory: no OSM catalogue is found, so it starts at once.
  const server = spawn(bin, ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir], {
    cwd: dataDir,
    env: { ...process.env, TRIPGEN_LOG__LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let exited = false;
  server.on('exit', () => (exited = true));
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (exited) throw new Error('tripgen exited before it answered');
      try {
        if ((await fetch(`${base}/health/live`)).ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error('tripgen did not answer in 120 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    return await fn(base);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => (exited ? r() : server.once('exit', r)));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const mode = process.argv[2];
  if (mode !== 'write' && mode !== 'check') {
    console.error('usage: node e2e/api-schema.mjs write|check');
    process.exit(2);
  }
  try {
    await withServer(async (base) => {
      if (mode === 'write') {
        writeFileSync(SCHEMA_FILE, await generateSchema(base), 'utf8');
        console.log(`api-schema: wrote ${SCHEMA_FILE} from ${base}/api/openapi.json`);
      } else {
        const problem = await checkSchema(base);
        if (problem) {
          console.error(`api-schema: ${problem}`);
          process.exitCode = 1;
        } else console.log('api-schema: src/api/schema.ts matches the server');
      }
    });
  } catch (e) {
    console.error(`api-schema: ${e?.message ?? e}`);
    process.exitCode = 1;
  }
}
