#!/usr/bin/env node
// src/api/schema.ts from the server's OpenAPI document, generated exactly as the
// openapi-typescript CLI does (same header, default options, Redocly "minimal" config).
//
//   node e2e/api-schema.mjs write   # npm run gen:api   — rewrite src/api/schema.ts
//   node e2e/api-schema.mjs check   # npm run check:api — exit 1 when it is out of step
//
// The document comes from HEALTHSYNC_URL when set, else from a throwaway `healthsync serve`
// (HEALTHSYNC_BIN). e2e/run.mjs checks against its own server, so CI fails when the API
// changed and schema.ts was not regenerated.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { createConfig } from '@redocly/openapi-core';
import { startHealthSync, web } from './server.mjs';

export const SCHEMA_FILE = join(web, 'src', 'api', 'schema.ts');

export async function generateSchema(base) {
  const redocly = await createConfig({}, { extends: ['minimal'] });
  const ast = await openapiTS(new URL('/api/openapi.json', base), { redocly, silent: true });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}

/** `undefined` when src/api/schema.ts matches the server, else what to do. */
export async function checkSchema(base) {
  const fresh = await generateSchema(base);
  const current = existsSync(SCHEMA_FILE) ? readFileSync(SCHEMA_FILE, 'utf8') : '';
  if (fresh === current) return undefined;
  const a = current.split('\n');
  const b = fresh.split('\n');
  let line = 0;
  while (line < a.length && line < b.length && a[line] === b[line]) line++;
  return (
    `web-healthsync/src/api/schema.ts is out of step with the server's OpenAPI document ` +
    `(first difference at line ${line + 1}: have ${JSON.stringify(a[line] ?? '<end>')}, server says ${JSON.stringify(b[line] ?? '<end>')}). ` +
    'Run `npm run gen:api` in web-healthsync/ and commit the result.'
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const mode = process.argv[2];
  if (mode !== 'write' && mode !== 'check') {
    console.error('usage: node e2e/api-schema.mjs write|check');
    process.exit(2);
  }
  let server;
  try {
    let base = process.env.HEALTHSYNC_URL?.replace(/\/$/, '');
    if (!base) {
      server = await startHealthSync({ sample: false });
      base = server.base;
    }
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
  } catch (e) {
    console.error(`api-schema: ${e?.message ?? e}`);
    process.exitCode = 1;
  } finally {
    await server?.stop();
  }
}
