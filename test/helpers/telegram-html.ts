/**
 * A strict checker for Telegram Bot API HTML (parse_mode "HTML"), independent of the
 * production tokenizer so tests do not grade the code with itself.
 *
 * Stricter than Telegram where Telegram would silently drop an entity: it enforces the
 * documented nesting rules (pre/code contain nothing but `pre > code`; blockquotes neither nest
 * nor sit inside other tags; links contain only bold/italic/underline/strike/spoiler), so
 * output that passes here renders as written.
 */

const SIMPLE = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del']);
interface Open {
  name: string;
  /** For `pre`: it holds non-blank text, and how many `code` children. */
  text: boolean;
  codes: number;
}

/** Problems found in `html`; empty when Telegram would accept it and render it as written. */
export function telegramHtmlProblems(html: string): string[] {
  const problems: string[] = [];
  const stack: Open[] = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i] as string;
    if (ch === '<') {
      const m = /^<(\/?)([a-z-]+)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>/.exec(html.slice(i, i + 4096));
      if (!m) {
        problems.push(`raw "<" at ${i}`);
        i++;
        continue;
      }
      const [raw, slash, name = '', attrs = ''] = m;
      if (slash) {
        const top = stack.pop();
        if (!top || top.name !== name) problems.push(`</${name}> at ${i} closes ${top ? `<${top.name}>` : 'nothing'}`);
        if (top?.name === 'pre' && top.codes > 0 && (top.text || top.codes > 1)) problems.push(`<pre> ending at ${i} mixes text and <code>`);
      } else {
        problems.push(...openProblems(name, attrs.trim(), stack, i));
        const parent = stack[stack.length - 1];
        if (parent?.name === 'pre' && name === 'code') parent.codes++;
        stack.push({ name, text: false, codes: 0 });
      }
      i += raw.length;
      continue;
    }
    if (ch === '>') problems.push(`raw ">" at ${i}`);
    if (ch === '&') {
      const m = /^&(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/.exec(html.slice(i, i + 12));
      if (!m) problems.push(`bad entity at ${i}: ${html.slice(i, i + 10)}`);
      else {
        const cp = m[0].startsWith('&#x') ? parseInt(m[0].slice(3), 16) : m[0].startsWith('&#') ? parseInt(m[0].slice(2), 10) : 0;
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) problems.push(`bad code point at ${i}`);
        i += m[0].length;
        continue;
      }
    }
    const top = stack[stack.length - 1];
    if (top?.name === 'pre' && !/\s/.test(ch)) top.text = true;
    i++;
  }
  for (const open of stack) problems.push(`<${open.name}> never closed`);
  return problems;
}

function openProblems(name: string, attrs: string, stack: readonly Open[], at: number): string[] {
  const problems: string[] = [];
  const parent = stack[stack.length - 1];
  const inside = (n: string) => stack.some((o) => o.name === n);
  if (name === 'a') {
    const href = /^href="([^"]*)"$/.exec(attrs)?.[1];
    if (href === undefined || !/^(?:https?:\/\/|tg:\/\/|mailto:)/i.test(decode(href)))
      problems.push(`<a ${attrs}> at ${at}: href must be an http(s), tg or mailto URL`);
  } else if (name === 'span') {
    if (attrs !== 'class="tg-spoiler"') problems.push(`<span ${attrs}> at ${at}: only class="tg-spoiler" is allowed`);
  } else if (name === 'code') {
    if (attrs !== '' && !(parent?.name === 'pre' && /^class="language-[^"\s]+"$/.test(attrs)))
      problems.push(`<code ${attrs}> at ${at}: a class only on code inside pre`);
  } else if (name === 'blockquote') {
    if (attrs !== '' && attrs !== 'expandable') problems.push(`<blockquote ${attrs}> at ${at}`);
  } else if (name === 'pre' || SIMPLE.has(name) || name === 'tg-spoiler') {
    if (attrs !== '') problems.push(`<${name} ${attrs}> at ${at}: no attributes allowed`);
  } else {
    problems.push(`unsupported tag <${name}> at ${at}`);
  }
  if (parent && (parent.name === 'code' || (parent.name === 'pre' && name !== 'code'))) problems.push(`<${name}> inside <${parent.name}> at ${at}`);
  if ((name === 'pre' || name === 'blockquote') && stack.length > 0) problems.push(`<${name}> nested inside <${parent?.name}> at ${at}`);
  if (name === 'code' && stack.some((o) => o.name !== 'pre')) problems.push(`<code> inside another entity at ${at}`);
  if (name === 'a' && (inside('a') || inside('blockquote'))) problems.push(`<a> inside <a>/<blockquote> at ${at}`);
  return problems;
}

function decode(s: string): string {
  return s.replace(/&(lt|gt|amp|quot);/g, (_, n: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"' })[n] ?? '');
}

/** The text Telegram would display (tags removed, entities decoded). */
export function telegramVisibleText(html: string): string {
  return html
    .replace(/<[^<>]*>/g, '')
    .replace(/&(?:(lt|gt|amp|quot)|#([0-9]+)|#x([0-9a-fA-F]+));/g, (_, n?: string, d?: string, h?: string) =>
      n ? (({ lt: '<', gt: '>', amp: '&', quot: '"' } as Record<string, string>)[n] ?? '') : String.fromCodePoint(d ? parseInt(d, 10) : parseInt(h ?? '0', 16)),
    );
}

/** Throws with every problem listed when `html` is not valid Telegram HTML. */
export function assertTelegramHtml(html: string): void {
  const problems = telegramHtmlProblems(html);
  if (problems.length > 0) throw new Error(`Invalid Telegram HTML (${problems.slice(0, 5).join('; ')}):\n${html.slice(0, 2000)}`);
}
