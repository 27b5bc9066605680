import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ajv as AjvClass, ValidateFunction } from 'ajv';

let validator: ValidateFunction | undefined;

/**
 * Checks a compose document against the compose-spec JSON schema (the copy
 * that the dclint package keeps current). Returns one message per problem.
 */
export function checkComposeSchema(doc: unknown, reportedServiceNames: ReadonlySet<string> = new Set()): string[] {
  validator ??= precompiled() ?? compile();
  if (validator(doc)) return [];
  const errors = (validator.errors ?? [])
    // A service name the Service already reported as invalid (one message per problem).
    .filter(
      (e) => !(e.instancePath === '/services' && e.params && 'additionalProperty' in e.params && reportedServiceNames.has(String(e.params.additionalProperty))),
    );
  return oneOfAsOne(errors).map(
    (e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` '${String(e.params.additionalProperty)}'` : ''}`,
  );
}

type SchemaError = NonNullable<ValidateFunction['errors']>[number];

/**
 * A value that matches none of a oneOf's forms: Ajv gives one error per form ("must be number",
 * "must be string", "must be object") and then "must match exactly one schema in oneOf"; when the
 * forms differ only by type, that is one problem: "must be a number, a string or an object".
 */
function oneOfAsOne(errors: readonly SchemaError[]): SchemaError[] {
  const out: SchemaError[] = [];
  for (const e of errors) {
    if (e.keyword !== 'oneOf') {
      out.push(e);
      continue;
    }
    const forms = out.filter(
      (x) => x.instancePath === e.instancePath && x.keyword === 'type' && x.schemaPath.startsWith(e.schemaPath.replace(/\/oneOf$/, '/oneOf/')),
    );
    if (!forms.length) {
      out.push(e);
      continue;
    }
    const types = forms.map((x) => String((x.params as { type?: unknown }).type));
    const words = types.map((t) => `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`);
    for (const f of forms) out.splice(out.indexOf(f), 1);
    out.push({ ...e, message: `must be ${words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : words[0]}` });
  }
  return out;
}

/** The validator the build precompiled (scripts/build-compose-validator.mjs): saves ~100 ms a run. */
function precompiled(): ValidateFunction | undefined {
  const file = join(dirname(fileURLToPath(import.meta.url)), 'compose-validator.cjs');
  return existsSync(file) ? (createRequire(import.meta.url)(file) as ValidateFunction) : undefined;
}

/**
 * Compiles the schema at run time: when running from src/ (tests, development), where the build's
 * precompiled validator does not exist. dclint, which keeps the schema current, is a dev dependency.
 */
function compile(): ValidateFunction {
  const require = createRequire(import.meta.url);
  // dclint does not export its schema file: find it above its entry point.
  let dir = dirname(require.resolve('dclint'));
  while (!existsSync(join(dir, 'schemas', 'compose.schema.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('compose-spec schema not found in the dclint package');
    dir = up;
  }
  const schema = JSON.parse(readFileSync(join(dir, 'schemas', 'compose.schema.json'), 'utf8'));
  delete schema.$schema;
  // Required here, not imported at the top: the bundled CLI uses the precompiled validator, and Ajv
  // itself (a 350 KB compiler) would otherwise be loaded and evaluated by every synth for nothing.
  const { Ajv } = require('ajv') as { Ajv: typeof AjvClass };
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}
