// SPDX-License-Identifier: GPL-3.0-or-later
// "did you mean 'x'?" hints for typos in keys, values and names. Only close matches are offered:
// a far-fetched suggestion is worse than none.
import { distance } from 'fastest-levenshtein';

/** The candidate closest to `word`, if it is close enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  // About one edit per three characters: 'pakages' -> 'packages', but not 'foo' -> 'boot'.
  const limit = Math.max(1, Math.floor(w.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const d = swapsTwo(w, c.toLowerCase()) ? 1 : distance(w, c.toLowerCase());
    if (d <= limit && d < bestDistance && d < c.length) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** ` (did you mean 'x'?)` or the empty string, ready to append to a message. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closest(word, candidates);
  return match === undefined ? '' : ` (did you mean '${match}'?)`;
}

/** 'bsae' for 'base': one swap of neighbours is one typo, though Levenshtein counts two edits. */
function swapsTwo(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((ch, i) => (ch === b[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
}
