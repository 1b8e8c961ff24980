/** The transcript builders on their own: blocks from events, Markdown fences, HTML escaping, file names, /export's words. */
import { describe, expect, it } from 'vitest';
import type { Session } from '../../../src-main/contract/domain.ts';
import type { NewEvent, SessionEvent } from '../../../src-main/contract/events.ts';
import { renderHtml } from '../../../src-main/core/export/html.ts';
import { renderMarkdown } from '../../../src-main/core/export/markdown.ts';
import { buildBlocks } from '../../../src-main/core/export/model.ts';
import { createRedactor } from '../../../src-main/core/redaction/index.ts';
import { parseExportArgs } from '../../../src-main/surfaces/telegram/features/export.ts';
import { SCENARIO_APPROVALS, SCENARIO_EVENTS, SCENARIO_SECRETS } from '../../helpers/export-scenario.ts';
import { leakedPiece } from '../../helpers/secret-leaks.ts';

const redact = createRedactor({ extraValues: [SCENARIO_SECRETS[1]!] });
const session = {
  id: 'abcdef12-0000',
  name: 'api',
  title: 'Fix the <b>login</b>',
  agent: 'claude',
  cwd: '/home/me/api',
  mode: 'ask',
  state: 'idle',
  createdAt: 0,
} as Session;
const logged = (events: readonly NewEvent[]): SessionEvent[] =>
  events.map((e, i) => ({ ...e, sessionId: session.id, seq: i + 1, ts: 1_700_000_000_000 + i }) as SessionEvent);

describe('transcript builders', () => {
  it('open each turn with the message that started it and keep the question with its answer', () => {
    const blocks = buildBlocks(
      logged(SCENARIO_EVENTS),
      SCENARIO_APPROVALS.map((a) => ({ ...a, sessionId: session.id })),
      redact,
    );
    expect(blocks.map((b) => b.type)).toEqual(['turn', 'owner', 'tool', 'tool', 'question', 'approval', 'agent', 'usage']);
    expect(blocks.find((b) => b.type === 'question')).toMatchObject({
      answers: { 'Which database should the tests use?': 'SQLite' },
      status: 'allowed',
      by: 'telegram:42',
      surface: 'telegram',
    });
    for (const s of SCENARIO_SECRETS) expect(leakedPiece(JSON.stringify(blocks), s)).toBeNull();
  });

  it('fence output longer than any backtick run in it, so output cannot end the block', () => {
    const events = logged([
      {
        kind: 'tool_call',
        payload: {
          toolUseId: 't',
          tool: 'Bash',
          input: {},
          action: { kind: 'shell', tool: 'Bash', title: 'cat README.md', command: 'cat README.md', input: {} },
        },
      },
      { kind: 'tool_result', payload: { toolUseId: 't', isError: true, text: '```\n# not a heading of the transcript\n````', truncated: true } },
    ]);
    const md = renderMarkdown(session, buildBlocks(events, [], redact));
    expect(md).toContain(
      '**Shell** (failed):\n\n```sh\ncat README.md\n```\n\nOutput:\n\n`````text\n```\n# not a heading of the transcript\n````\n…(cut)\n`````',
    );
  });

  it('HTML escapes everything the session and the agent wrote', () => {
    const html = renderHtml(session, buildBlocks(logged(SCENARIO_EVENTS), [], redact));
    expect(html).toContain('<title>api — Fix the &lt;b&gt;login&lt;/b&gt;</title>');
    expect(html).toContain('Done. &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<(script|img|link|iframe)\b/i);
    const fenced = renderHtml(
      session,
      buildBlocks(logged([{ kind: 'message', payload: { role: 'assistant', text: 'Run:\n\n```sh\nnpm test <x>\n```\nDone.' } }]), [], redact),
    );
    expect(fenced).toContain('<div class="agent">Run:</div><pre>npm test &lt;x&gt;</pre><div class="agent">Done.</div>');
  });

  it('/export takes an optional session and an optional format', () => {
    expect(parseExportArgs('')).toEqual({ target: undefined, format: 'md' });
    expect(parseExportArgs(' HTML ')).toEqual({ target: undefined, format: 'html' });
    expect(parseExportArgs('api-2')).toEqual({ target: 'api-2', format: 'md' });
    expect(parseExportArgs('api-2 json')).toEqual({ target: 'api-2', format: 'json' });
    expect(parseExportArgs('a b json')).toBeNull();
  });
});
