/** The session names closest to a mistyped one, for the reply to `@name` that names no session. */

/** Edit distance (insertions, deletions, substitutions) between two short strings. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Up to `max` of `names` close to `given` (ignoring case): those that contain it or start alike, and
 * those a few edits away, closest first.
 */
export function closeNames(given: string, names: readonly string[], max = 5): string[] {
  const g = given.toLowerCase();
  const limit = Math.max(2, Math.floor(g.length / 2));
  return names
    .map((name) => {
      const n = name.toLowerCase();
      const d = n.includes(g) || g.includes(n) ? 0 : distance(g, n);
      return { name, d };
    })
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, max)
    .map((x) => x.name);
}
