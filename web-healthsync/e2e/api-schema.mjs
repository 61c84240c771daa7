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
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { createConfig } from '@redocly/openapi-core';
import { schemaCommand, schemaTools } from '../../scripts/web/openapi-schema.mjs';
import { startHealthSync, web } from './server.mjs';

export const SCHEMA_FILE = join(web, 'src', 'api', 'schema.ts');
const tools = schemaTools(
  { openapiTS, astToString, COMMENT_HEADER, createConfig },
  SCHEMA_FILE,
  'web-healthsync',
);
export const { generateSchema, checkSchema } = tools;

/** Runs `fn(base)` against HEALTHSYNC_URL, or against a throwaway `healthsync serve`. */
async function withServer(fn) {
  const running = process.env.HEALTHSYNC_URL?.replace(/\/$/, '');
  if (running) return fn(running);
  const server = await startHealthSync({ sample: false });
  try {
    return await fn(server.base);
  } finally {
    await server.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await schemaCommand(process.argv[2], withServer, tools, SCHEMA_FILE);
}
