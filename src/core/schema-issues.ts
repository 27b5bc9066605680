import type { z } from 'zod';

/** One issue of a failed schema check: where in the document, and the `path.to[0].key: message` text. */
export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly text: string;
}

/**
 * One issue per issue of a failed schema check, with its path, the text reading `path.to[0].key: message`
 * with the unknown keys named (the usual mistake in a file a program decodes strictly).
 */
export function schemaIssues(error: z.ZodError): SchemaIssue[] {
  return error.issues.map((i) => {
    const path = i.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    const keys = i.code === 'unrecognized_keys' ? ` ${i.keys.map((k) => `'${k}'`).join(', ')}` : '';
    return { path: i.path, text: `${path || '<root>'}:${keys} ${i.message}` };
  });
}

/** One message per issue of a failed schema check: `path.to[0].key: message` (see {@link schemaIssues}). */
export function formatSchemaIssues(error: z.ZodError): string[] {
  return schemaIssues(error).map((i) => i.text);
}
