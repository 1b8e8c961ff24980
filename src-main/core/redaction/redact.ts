/**
 * Redaction of secrets from anything that leaves the machine (Telegram, exported transcripts).
 *
 * Run the redactor on plain text (agent output, tool input) *before* it is converted to HTML,
 * and (for Telegram) `redactHtml` on HTML built elsewhere. Every secret becomes `[redacted]`; for assignments
 * and headers only the value goes, so the reader still sees which secret was there.
 */
import { originalRange, scanText } from './scan-text.ts';
import { exactValuesRule, findRuleSecrets, SECRET_RULES, type SecretRange } from './secret-patterns.ts';

/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/** Replaces secrets in plain text; `findSecrets` exposes where they are (for HTML redaction). */
export interface Redactor {
  (text: string): string;
  /** Secret positions in `text` (UTF-16 indices), sorted, overlaps and neighbours merged. */
  findSecrets(text: string): SecretRange[];
}

/**
 * Builds the redactor for a core. `extraValues` are exact strings to hide wherever they
 * appear, typically the values of the projects' .env files (see `readEnvFileValues`); every
 * non-empty value is honoured, so filter out short or common ones before passing them.
 */
export function createRedactor(opts: { extraValues?: readonly string[] } = {}): Redactor {
  const exact = exactValuesRule(opts.extraValues ?? []);
  const rules = exact ? [exact, ...SECRET_RULES] : SECRET_RULES;
  const findSecrets = (text: string): SecretRange[] => {
    const scan = scanText(text);
    if (scan === null) return mergeRanges(findRuleSecrets(text, rules));
    // Obfuscated forms are found in the scan text; plain ones in the text itself.
    const hidden = findRuleSecrets(scan.text, rules).map((r) => originalRange(scan, r.start, r.end));
    return mergeRanges([...findRuleSecrets(text, rules), ...hidden]);
  };
  const redact = (text: string): string => applyRanges(text, findSecrets(text));
  return Object.assign(redact, { findSecrets });
}

function mergeRanges(ranges: SecretRange[]): SecretRange[] {
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: SecretRange[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ start: r.start, end: r.end });
  }
  return merged;
}

function applyRanges(text: string, ranges: readonly SecretRange[]): string {
  if (ranges.length === 0) return text;
  let out = '';
  let at = 0;
  for (const r of ranges) {
    out += text.slice(at, r.start) + REDACTED;
    at = r.end;
  }
  return out + text.slice(at);
}

/**
 * Text for a short display (a notification, a tray line, a list entry): redacted whole first, then
 * its first line shortened to `max` characters. Shortening first could cut a secret so that no
 * pattern recognises the half that is shown. Every surface that shortens agent text uses this.
 */
export function redactThenShorten(redact: Redactor, text: string, max: number): string {
  const clean = redact(text);
  const first = clean.split('\n')[0] ?? '';
  const line = first.length < clean.trimEnd().length ? `${first}…` : first;
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
