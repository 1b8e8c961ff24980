/** The Markdown transcript: one section per turn, code and output fenced, the agent's Markdown as is. */
import type { Session } from '../../contract/domain.ts';
import type { Block } from './model.ts';

/** A fence longer than any backtick run in `text`, so output can never close it early. */
function fence(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${text.replace(/\n$/, '')}\n${f}`;
}

/** Cost, tokens and time of a turn in one line. */
export function usageLine(b: Extract<Block, { type: 'usage' }>): string {
  const parts = [`${b.inputTokens} in / ${b.outputTokens} out tokens`];
  if (b.costUsd !== null) parts.unshift(`$${b.costUsd.toFixed(4)}`);
  if (b.durationMs !== null) parts.push(`${(b.durationMs / 1000).toFixed(1)} s`);
  return parts.join(' · ');
}

/** The heading facts of a session. */
export function sessionFacts(s: Session): [string, string][] {
  return [
    ['Agent', s.agent],
    ['Project', s.cwd],
    ['Mode', s.mode],
    ['State', s.state],
    ['Started', new Date(s.createdAt).toISOString()],
    ['Session id', s.id],
  ];
}

type ToolBlock = Extract<Block, { type: 'tool' }>;

/** How a call ended, from the result's error flag (agents report no exit code of their own). */
export function outcome(b: ToolBlock): string {
  return b.output === null ? 'no result' : b.failed ? 'failed' : 'ok';
}

/** Output worth showing: always for shell and other tools, for edits only when they failed. */
export function showOutput(b: ToolBlock): boolean {
  return b.output !== null && (b.kind !== 'diff' || b.failed);
}

/** " (by telegram:42 via telegram)" for an answered question. */
export function answeredBy(b: Extract<Block, { type: 'question' }>): string {
  return b.by ? ` (by ${b.by} via ${b.surface})` : '';
}

function blockMarkdown(b: Block): string {
  switch (b.type) {
    case 'turn':
      return `## Turn ${b.n}`;
    case 'owner':
      return `**Owner${b.surface ? ` (${b.surface})` : ''}:**\n\n${b.text
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n')}`;
    case 'agent':
      return b.text;
    case 'tool': {
      const parts = [b.kind === 'shell' ? `**Shell** (${outcome(b)}):` : `**${b.kind === 'diff' ? 'Edit' : 'Tool'}:** ${b.title.replace(/\n/g, ' ')}`];
      if (b.kind === 'shell') parts.push(fence(b.body, 'sh'));
      else if (b.kind === 'diff') parts.push(fence(b.body, 'diff'));
      else if (b.body) parts.push(fence(b.body, 'json'));
      if (showOutput(b)) parts.push(b.kind === 'shell' ? 'Output:' : `Output (${outcome(b)}):`, fence(b.output ?? '', 'text'));
      return parts.join('\n\n');
    }
    case 'question':
      return [
        ...b.questions.map((q) =>
          [`**Question:** ${q.question}`, ...q.options.map((o) => `- ${o.label}${o.description ? ` — ${o.description}` : ''}`)].join('\n'),
        ),
        `**Answer:** ${b.answers ? Object.values(b.answers).join('; ') : `none (${b.status})`}${answeredBy(b)}`,
      ].join('\n\n');
    case 'approval':
      return `*Approval: ${b.title.replace(/\n/g, ' ')} — ${b.status} by ${b.by} via ${b.surface}${b.reason ? ` (${b.reason})` : ''}*`;
    case 'usage':
      return `<sub>${usageLine(b)}</sub>`;
    case 'state':
      return `<sub>state: ${b.text}</sub>`;
    case 'error':
      return `**Error:** ${b.text}`;
  }
}

/** The whole transcript as Markdown. */
export function renderMarkdown(session: Session, blocks: readonly Block[]): string {
  const head = [`# ${session.name} — ${session.title}`, '', ...sessionFacts(session).map(([k, v]) => `- **${k}:** ${v}`)].join('\n');
  return `${[head, ...blocks.map(blockMarkdown)].join('\n\n')}\n`;
}
