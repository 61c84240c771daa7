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
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
// openapi-typescript's own dependency (same version as its CLI uses, hoisted by npm ci).
import { createConfig } from '@redocly/openapi-core';
import { schemaCommand, schemaTools } from '../../scripts/web/openapi-schema.mjs';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_FILE = join(web, 'src', 'api', 'schema.ts');
const tools = schemaTools({ openapiTS, astToString, COMMENT_HEADER, createConfig }, SCHEMA_FILE, 'web');
export const { generateSchema, checkSchema } = tools;

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
  await schemaCommand(process.argv[2], withServer, tools, SCHEMA_FILE);
}
