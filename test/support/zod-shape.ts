import assert from 'node:assert/strict';
import type { z } from 'zod';

/*
 * The keys of a block of a strict zod schema, for the tests that hold the hand-written schemas to the key tables
 * generated from the programs' source.
 */

interface SchemaDef {
  readonly innerType?: AnySchema;
  readonly element?: AnySchema;
  readonly shape?: Record<string, AnySchema>;
}
type AnySchema = z.ZodType & { readonly def?: SchemaDef };

/** The object schema under optional, array and refinement wrappers. */
function objectOf(schema: AnySchema): Record<string, AnySchema> {
  let s: AnySchema | undefined = schema;
  for (let i = 0; i < 10 && s; i++) {
    const def: SchemaDef | undefined = s.def;
    if (def?.shape) return def.shape;
    s = def?.innerType ?? def?.element;
  }
  assert.fail('not an object schema');
}

/** The keys the schema accepts at a dotted block path (`root` is the document itself), sorted. */
export function schemaKeysAt(root: z.ZodType, path: string): string[] {
  let shape = objectOf(root as AnySchema);
  if (path !== 'root') for (const key of path.split('.')) shape = objectOf(shape[key]);
  return Object.keys(shape).sort();
}
