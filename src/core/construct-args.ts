import { Construct } from 'constructs';
import { UserError } from './errors.js';
import { describeValue } from './props.js';

/**
 * The scope of `new Kind(scope, id, ...)`, with the scope and id checked before the construct is made.
 * A JavaScript caller's wrong scope or id would otherwise fail inside the constructs library
 * ("Cannot read properties of undefined (reading 'addChild')", "id.replace is not a function"), and a
 * '/' in an id is silently turned into '--' there (so 'a/b' and 'a--b' collide under a name nobody
 * wrote).
 * @param scopeHint what to pass as the scope, e.g. "the Stack (or a construct in it)"
 */
export function checkedScope<T>(kind: string, scope: T, id: unknown, scopeHint = 'the Stack, or a construct in it'): T {
  const problems: string[] = [];
  // Construct.isConstruct goes by a Symbol.for mark, so a construct of another copy of the library counts.
  if (!Construct.isConstruct(scope)) problems.push(`scope must be a construct (${scopeHint}), got ${describeValue(scope)}`);
  if (typeof id !== 'string' || id === '') problems.push(`id must be a name such as 'web', got ${describeValue(id)}`);
  else if (id.includes('/')) problems.push(`id '${id}' holds '/', which separates the parts of a construct path: write '${id.replace(/\//g, '-')}'`);
  if (problems.length) throw new UserError(`new ${kind}(scope, id, ...): ${problems.join('; ')}`);
  return scope;
}
