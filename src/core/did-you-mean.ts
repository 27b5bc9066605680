/*
 * The one did-you-mean of this library: every "unknown name" message (props, enum values, stack-file
 * keys, CLI commands, LogQL and PromQL names, Loki keys, log-format fields) asks `closest` here.
 *
 * The measure is the optimal string alignment distance (Damerau-Levenshtein without repeated edits of
 * one substring: a swap of two neighbouring letters is one edit), compared case-insensitively, as
 * commander's suggestSimilar (commander lib/suggestSimilar.js) and cobra's SuggestionsFor (which
 * also lowercases) measure typos. The limit is this library's: a third of the name's length in edits,
 * at least 1, and fewer edits than the name has letters (so 'ab' does not suggest 'xy'); a name with
 * one `_word` added or dropped (`container` for `container_name`) counts as within the limit.
 */

/**
 * `; did you mean 'x'?` for the closest candidate, or undefined when none is close: the hint most
 * "unknown name" messages of this library end with.
 */
export function didYouMean(name: string, candidates: Iterable<string>, quote = "'"): string | undefined {
  const best = closest(name, candidates);
  return best === undefined ? undefined : `; did you mean ${quote}${best}${quote}?`;
}

/** The edits `name` may be away from a candidate that is suggested for it. */
export function typoLimit(name: string): number {
  return Math.min(Math.max(1, Math.floor(name.length / 3)), Math.max(0, name.length - 1));
}

/** The candidate closest to `name` within {@link typoLimit} edits (the first of equals), if any; never `name` itself. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: { name: string; d: number } | undefined;
  const limit = typoLimit(name);
  const a = name.toLowerCase();
  for (const c of candidates) {
    if (c === name) continue;
    const b = c.toLowerCase();
    // `container_name` for `container`, `level` for `detected_level`: a name with a word added or dropped.
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
