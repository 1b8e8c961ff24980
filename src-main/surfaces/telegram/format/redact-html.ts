/**
 * Redaction of Telegram HTML that was built without redacting its text first (views that
 * assemble HTML from several sources). Secrets are found in the *visible* text, so a secret
 * split by tags (`TOKEN=<code>abc</code>`) or written with entities is still caught, and the
 * replacement only swaps characters: tags stay exactly as they were, so the result is as
 * valid as the input.
 */
import { hrefOf, tokenizeTelegramHtml } from './html-atoms.ts';
import { REDACTED, type Redactor } from '../../../core/redaction/index.ts';

/**
 * Replaces secrets in `html` with `[redacted]`. A link whose address holds a secret loses its
 * `<a>` tag (its text stays): a redacted address would be a broken link.
 */
export function redactHtml(html: string, redactor: Redactor): string {
  const atoms = tokenizeTelegramHtml(html);
  const starts: number[] = [];
  let visible = '';
  for (const a of atoms) {
    starts.push(visible.length);
    if (a.kind === 'char') visible += a.text;
  }
  const ranges = redactor.findSecrets(visible);
  let out = '';
  let ri = 0;
  let placed = -1;
  let droppedLink = false;
  atoms.forEach((a, k) => {
    if (a.kind === 'open') {
      const href = a.name === 'a' ? hrefOf(a.raw) : null;
      if (href !== null && redactor(href) !== href) droppedLink = true;
      else out += a.raw;
      return;
    }
    if (a.kind === 'close') {
      if (a.name === 'a' && droppedLink) droppedLink = false;
      else out += a.raw;
      return;
    }
    const start = starts[k] as number;
    while (ri < ranges.length && (ranges[ri]?.end ?? 0) <= start) ri++;
    const r = ranges[ri];
    if (r === undefined || r.start >= start + a.text.length) {
      out += a.raw;
      return;
    }
    if (placed !== ri) out += REDACTED;
    placed = ri;
  });
  return out;
}
