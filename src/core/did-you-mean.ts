/**
 * `; did you mean 'x'?` for the closest candidate within a few edits of
 * `name`, or undefined when none is close: the hint every "unknown name"
 * message of this library ends with.
 */
export function didYouMean(name: string, candidates: Iterable<string>, quote = "'"): string | undefined {
  const best = closest(name, candidates);
  return best === undefined ? undefined : `; did you mean ${quote}${best}${quote}?`;
}

/** The candidate closest to `name` (at most a quarter of its length in edits, at least 1, or one `_word` more or less), if any. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: { name: string; d: number } | undefined;
  const limit = Math.max(1, Math.floor(name.length / 4));
  for (const c of candidates) {
    if (c === name) continue;
    // `container_name` for `container`, `level` for `detected_level`: a name with a word added or dropped.
    const a = name.toLowerCase();
    const b = c.toLowerCase();
    const affixed = [a, b].some((x, i) => {
      const y = i === 0 ? b : a;
      return x.startsWith(`${y}_`) || x.endsWith(`_${y}`);
    });
    const d = affixed ? limit : distance(a, b);
    if (d <= limit && (!best || d < best.d)) best = { name: c, d };
  }
  return best?.name;
}

/** Edit distance counting a swap of two neighbouring letters as one edit (optimal string alignment). */
export function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
