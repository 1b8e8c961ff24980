/**
 * The local calendar date of a time, `YYYY-MM-DD`: the key of a day's spend. Local, as the owner's
 * day is ("$5 a day" ends at their midnight), and the same zone SQLite's `localtime` uses.
 */
export function localDay(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
