/**
 * The cycles of a dependency graph (`depends_on` between services), each once: a back edge of a
 * depth-first walk closes a cycle; one that shares a node with a cycle already found is the same
 * tangle (fixing that one may leave another to report), one that shares none is another mistake.
 * Compose refuses such a file ("dependency cycle detected", compose-go graph.go, InDependencyOrder).
 * @param nodes the nodes, in the order cycles are looked for (and so reported)
 * @param dependsOn what a node depends on, in order
 * @returns each cycle as the nodes along it, ending with the one it started from (`[a, b, a]`)
 */
export function findCycles<T>(nodes: Iterable<T>, dependsOn: (node: T) => Iterable<T>): T[][] {
  const state = new Map<T, 'visiting' | 'done'>();
  const path: T[] = [];
  const cycles: T[][] = [];
  const visit = (n: T): void => {
    if (state.get(n) === 'done') return;
    if (state.get(n) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(n)), n];
      if (!cycles.some((c) => c.some((x) => cycle.includes(x)))) cycles.push(cycle);
      return;
    }
    state.set(n, 'visiting');
    path.push(n);
    for (const d of dependsOn(n)) visit(d);
    path.pop();
    state.set(n, 'done');
  };
  for (const n of nodes) visit(n);
  return cycles;
}
