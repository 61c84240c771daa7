// Shared by web/ and web-healthsync/ (their e2e/api-schema.mjs): src/api/schema.ts from a
// server's OpenAPI document, generated exactly as the openapi-typescript CLI does (same
// header, default options, Redocly "minimal" config), and the write|check command around it.
// Each app passes its own openapi-typescript and @redocly/openapi-core (from its own
// node_modules), so this file imports nothing but Node's own modules.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * `generateSchema(base)` and `checkSchema(base)` for the app whose schema file is
 * `schemaFile`; `app` names its folder in messages (e.g. `web`).
 */
export function schemaTools({ openapiTS, astToString, COMMENT_HEADER, createConfig }, schemaFile, app) {
  /** The TypeScript text for the document at `${base}/api/openapi.json`. */
  async function generateSchema(base) {
    // As bin/cli.js does without flags or redocly.yaml: default options and a Redocly config
    // that extends "minimal" (openapiTS's own default adds a unique-operationId rule the
    // TripGen API, with the same handler names under /trips and /ai, does not meet).
    const redocly = await createConfig({}, { extends: ['minimal'] });
    const ast = await openapiTS(new URL('/api/openapi.json', base), { redocly, silent: true });
    return `${COMMENT_HEADER}${astToString(ast)}`;
  }

  /** `undefined` when the schema file matches the server, else a message saying what to do. */
  async function checkSchema(base) {
    const fresh = await generateSchema(base);
    const current = existsSync(schemaFile) ? readFileSync(schemaFile, 'utf8') : '';
    if (fresh === current) return undefined;
    const a = current.split('\n');
    const b = fresh.split('\n');
    let line = 0;
    while (line < a.length && line < b.length && a[line] === b[line]) line++;
    return (
      `${app}/src/api/schema.ts is out of step with the server's OpenAPI document ` +
      `(first difference at line ${line + 1}: have ${JSON.stringify(a[line] ?? '<end>')}, ` +
      `server says ${JSON.stringify(b[line] ?? '<end>')}). ` +
      `Run \`npm run gen:api\` in ${app}/ (it starts the server itself) and commit the result.`
    );
  }

  return { generateSchema, checkSchema };
}

/**
 * `node e2e/api-schema.mjs write|check`: `withServer(fn)` runs `fn(base)` against the app's
 * server (a running one or a throwaway one) and stops what it started.
 */
export async function schemaCommand(mode, withServer, { generateSchema, checkSchema }, schemaFile) {
  if (mode !== 'write' && mode !== 'check') {
    console.error('usage: node e2e/api-schema.mjs write|check');
    process.exit(2);
  }
  try {
    await withServer(async (base) => {
      if (mode === 'write') {
        writeFileSync(schemaFile, await generateSchema(base), 'utf8');
        console.log(`api-schema: wrote ${schemaFile} from ${base}/api/openapi.json`);
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
