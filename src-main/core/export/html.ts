/**
 * The transcript as one self-contained HTML file: inline CSS, no script, a CSP that forbids every
 * fetch, light and dark by the reader's preference.
 *
 * Why hand-written: the core has no HTML template or Markdown dependency, and the file must carry no
 * script and nothing the agent wrote as markup. Every string goes through `esc`; the agent's Markdown
 * is shown as its (readable) source text rather than converted, so no output can become a tag, a
 * link that loads, or a style.
 */
import type { Session } from '../../contract/domain.ts';
import { answeredBy, outcome, sessionFacts, showOutput, usageLine } from './markdown.ts';
import type { Block } from './model.ts';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1d1f23;--mute:#667;--code:#f4f5f7;--line:#dde;--add:#e6ffec;--del:#ffebe9;--owner:#eef4ff}
@media (prefers-color-scheme:dark){:root{--bg:#16181c;--fg:#e6e6e6;--mute:#99a;--code:#22252b;--line:#333842;--add:#12361f;--del:#3d1a1c;--owner:#1c2636}}
body{background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;border-top:1px solid var(--line);padding-top:1rem;margin-top:2rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;color:var(--mute)}dd{margin:0}
pre{background:var(--code);padding:.6rem;overflow-x:auto;white-space:pre-wrap;word-break:break-word;border-radius:4px;font:13px/1.4 ui-monospace,monospace}
.owner{background:var(--owner);padding:.5rem .8rem;border-radius:4px}.agent{white-space:pre-wrap}
.small{color:var(--mute);font-size:.85rem}.add{background:var(--add);display:block}.del{background:var(--del);display:block}
.label{font-weight:600}body>div,body>section{margin:.7rem 0}
`;

function diffHtml(diff: string): string {
  return diff
    .split('\n')
    .map((l) => {
      const header = l.startsWith('+++') || l.startsWith('---');
      if (!header && l.startsWith('+')) return `<span class="add">${esc(l)}</span>`;
      if (!header && l.startsWith('-')) return `<span class="del">${esc(l)}</span>`;
      return `${esc(l)}\n`;
    })
    .join('');
}

/** Fenced code blocks of the agent's Markdown. */
const FENCE = /^(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n\1[ \t]*$/gm;

/** The agent's Markdown as escaped text, its fenced code blocks set apart as code. */
function agentHtml(text: string): string {
  const parts: string[] = [];
  let at = 0;
  for (const m of text.matchAll(FENCE)) {
    if (m.index > at) parts.push(`<div class="agent">${esc(text.slice(at, m.index).replace(/\n+$/, ''))}</div>`);
    parts.push(`<pre>${esc(m[2] ?? '')}</pre>`);
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push(`<div class="agent">${esc(text.slice(at).replace(/^\n+/, ''))}</div>`);
  return parts.join('');
}

function blockHtml(b: Block): string {
  switch (b.type) {
    case 'turn':
      return `<h2>Turn ${b.n}</h2>`;
    case 'owner':
      return `<div class="owner"><div class="label">Owner${b.surface ? ` (${esc(b.surface)})` : ''}</div><div class="agent">${esc(b.text)}</div></div>`;
    case 'agent':
      return agentHtml(b.text);
    case 'tool': {
      const head =
        b.kind === 'shell'
          ? `<span class="label">Shell</span> (${outcome(b)})`
          : `<span class="label">${b.kind === 'diff' ? 'Edit' : 'Tool'}:</span> ${esc(b.title)}`;
      const body = b.kind === 'diff' ? `<pre>${diffHtml(b.body)}</pre>` : b.body ? `<pre>${esc(b.body)}</pre>` : '';
      const label = b.kind === 'shell' ? 'Output' : `Output (${outcome(b)})`;
      const out = showOutput(b) ? `<div class="small">${label}:</div><pre>${esc(b.output ?? '')}</pre>` : '';
      return `<section><div>${head}</div>${body}${out}</section>`;
    }
    case 'question': {
      const qs = b.questions
        .map(
          (q) =>
            `<div><span class="label">Question:</span> ${esc(q.question)}</div><ul>${q.options.map((o) => `<li>${esc(o.label)}${o.description ? ` — ${esc(o.description)}` : ''}</li>`).join('')}</ul>`,
        )
        .join('');
      const answer = b.answers ? esc(Object.values(b.answers).join('; ')) : `none (${esc(b.status)})`;
      return `<section>${qs}<div><span class="label">Answer:</span> ${answer}${esc(answeredBy(b))}</div></section>`;
    }
    case 'approval':
      return `<div class="small">Approval: ${esc(b.title)} — ${esc(b.status)} by ${esc(b.by)} via ${esc(b.surface)}${b.reason ? ` (${esc(b.reason)})` : ''}</div>`;
    case 'usage':
      return `<div class="small">${esc(usageLine(b))}</div>`;
    case 'state':
      return `<div class="small">state: ${esc(b.text)}</div>`;
    case 'error':
      return `<div><span class="label">Error:</span> ${esc(b.text)}</div>`;
  }
}

/** The whole transcript as one HTML document. */
export function renderHtml(session: Session, blocks: readonly Block[]): string {
  const title = `${session.name} — ${session.title}`;
  const facts = sessionFacts(session)
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><h1>${esc(title)}</h1><dl>${facts}</dl>
${blocks.map(blockHtml).join('\n')}
</body></html>
`;
}
