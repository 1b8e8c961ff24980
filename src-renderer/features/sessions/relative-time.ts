/**
 * "3 min ago"-style times for the sidebar, in the browser's language. The largest unit that fits is
 * used; anything under a minute reads "just now".
 */
const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** How long ago `then` was, seen at `now` (both epoch ms). */
export function relativeTime(then: number, now: number, locale?: string): string {
  const elapsed = Math.max(0, now - then);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  for (const [unit, ms] of UNITS) {
    if (elapsed >= ms) return format.format(-Math.floor(elapsed / ms), unit);
  }
  return 'just now';
}
