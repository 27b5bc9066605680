import type { z } from 'zod';

/**
 * One message per issue of a failed schema check: `path.to[0].key: message`,
 * with the unknown keys named (the usual mistake in a file a program decodes strictly).
 */
export function formatSchemaIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const path = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    const keys = i.code === 'unrecognized_keys' ? ` ${i.keys.map((k) => `'${k}'`).join(', ')}` : '';
    return `${path || '<root>'}:${keys} ${i.message}`;
  });
}
