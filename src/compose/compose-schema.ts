import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

let validator: ValidateFunction | undefined;

/**
 * Checks a compose document against the compose-spec JSON schema (the copy
 * that the dclint package keeps current). Returns one message per problem.
 */
export function checkComposeSchema(doc: unknown): string[] {
  if (!validator) {
    const require = createRequire(import.meta.url);
    // dclint does not export its schema file: find it next to its entry point.
    let dir = dirname(require.resolve('dclint'));
    while (!safeExists(join(dir, 'schemas', 'compose.schema.json'))) {
      const up = dirname(dir);
      if (up === dir) throw new Error('compose-spec schema not found in the dclint package');
      dir = up;
    }
    const schema = JSON.parse(readFileSync(join(dir, 'schemas', 'compose.schema.json'), 'utf8'));
    delete schema.$schema;
    const ajv = new Ajv({ allErrors: true, strict: false });
    validator = ajv.compile(schema);
  }
  if (validator(doc)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` '${String(e.params.additionalProperty)}'` : ''}`);
}

function safeExists(p: string): boolean {
  try {
    readFileSync(p, { flag: 'r' }).length;
    return true;
  } catch {
    return false;
  }
}
