// Build step: precompiles the compose-spec schema (from the dclint package)
// into a standalone Ajv validator module in dist/, so a synth does not spend
// ~100 ms compiling the schema on every run. compose-schema.ts falls back to
// compiling at run time when this file is missing.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const require = createRequire(import.meta.url);
let dir = dirname(require.resolve('dclint'));
while (!safeRead(join(dir, 'schemas', 'compose.schema.json'))) dir = dirname(dir);
const schema = JSON.parse(readFileSync(join(dir, 'schemas', 'compose.schema.json'), 'utf8'));
delete schema.$schema;
const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true, esm: false } });
const code = standaloneCode.default ? standaloneCode.default(ajv, ajv.compile(schema)) : standaloneCode(ajv, ajv.compile(schema));
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'compose', 'compose-validator.cjs');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, code);

function safeRead(p) {
  try {
    return readFileSync(p);
  } catch {
    return undefined;
  }
}
