import { describe, expect, it } from 'vitest';
import type { Approval, Session } from '../../../src-main/contract/index.ts';
import { createCallbackCodec } from '../../../src-main/surfaces/telegram/callback-codec.ts';
import { createRedactor } from '../../../src-main/surfaces/telegram/format/index.ts';
import { optionAt, outcomeLine, renderApprovalCard, renderApprovalOutcome } from '../../../src-main/surfaces/telegram/views/approval-card.ts';
import { parseTelegramHtml } from '../../fakes/bot-api/index.ts';
import { acpAction, mergeToolCall, newToolCall } from '../../../src-main/core/agents/acp/action.ts';
import { claudeAction } from '../../../src-main/core/agents/claude/action.ts';
import { shellAction } from '../../../src-main/core/agents/codex/action.ts';

const session: Session = {
  id: 's1',
  agent: 'claude',
  projectId: 'p1',
  cwd: '/home/dev/shop',
  mode: 'ask',
  state: 'waiting',
  stateReason: null,
  waitingFor: 'approval',
  agentSessionId: null,
  adopted: false,
  transcriptPath: null,
  title: 'clean up',
  name: 'app',
  archivedAt: null,
  budget: { limit: { costUsd: null, tokens: null }, spent: { costUsd: 0, tokens: 0 } },
  lastSeq: 3,
  createdAt: 0,
  updatedAt: 0,
};
const NOW = 1_000_000;
const base: Approval = {
  id: 'a1',
  handle: 'Hk3mPq7z',
  sessionId: 's1',
  kind: 'tool',
  tool: 'Bash',
  input: { command: 'rm -rf build', description: 'Delete the build output' },
  action: claudeAction('Bash', { command: 'rm -rf build', description: 'Delete the build output' }),
  plan: null,
  questions: null,
  risk: { level: 'high', tags: ['destructive'], reasons: ['deletes files recursively (rm -rf)'] },
  status: 'pending',
  decidedBy: null,
  surface: null,
  reason: null,
  message: null,
  answers: null,
  grantOffer: { exact: { kind: 'command', command: 'rm -rf build' }, wider: { kind: 'command-prefix', prefix: 'rm -rf build' } },
  createdAt: NOW,
  decidedAt: null,
  expiresAt: NOW + 300_000,
};
const redact = createRedactor({ extraValues: ['hunter2-secret-value'] });
const codec = createCallbackCodec(Buffer.alloc(32, 7));
const text = (html: string): string => parseTelegramHtml(html).text;

describe('approval cards', () => {
  it('show the agent, project, command, risk and why, with Allow / Deny / session / reason buttons', () => {
    const view = renderApprovalCard(base, session, redact, {}, NOW);
    const t = text(view.html);
    expect(t).toContain('Approval needed · 🟠 high risk');
    expect(t).toContain('shop · claude — clean up');
    expect(t).toContain('rm -rf build');
    expect(t).toContain('Delete the build output');
    expect(t).toContain('• deletes files recursively (rm -rf)');
    expect(t).toContain('Times out in 5 min');
    expect(view.keyboard.flat().map((b) => [b.text, b.payload.action])).toEqual([
      ['✅ Allow', 'allow'],
      ['❌ Deny', 'deny'],
      ['✅ Allow for this session', 'allow_session'],
      ['✍️ Deny with reason', 'deny_reason'],
    ]);
    for (const b of view.keyboard.flat()) expect(Buffer.byteLength(codec.encode(b.payload, -1001000000001))).toBeLessThanOrEqual(64);
  });

  it('redacts secrets in commands and diffs before they are rendered', () => {
    const leaky = {
      ...base,
      input: { command: 'curl -H "Authorization: Bearer hunter2-secret-value" https://x' },
      action: claudeAction('Bash', { command: 'curl -H "Authorization: Bearer hunter2-secret-value" https://x' }),
    };
    expect(renderApprovalCard(leaky, session, redact, {}, NOW).html).not.toContain('hunter2');
    const edit = {
      ...base,
      tool: 'Edit',
      input: { file_path: '/home/dev/shop/.env', old_string: 'A=1', new_string: 'API_KEY=hunter2-secret-value' },
      action: claudeAction('Edit', { file_path: '/home/dev/shop/.env', old_string: 'A=1', new_string: 'API_KEY=hunter2-secret-value' }),
    };
    const html = renderApprovalCard(edit, session, redact, {}, NOW).html;
    expect(html).not.toContain('hunter2');
    expect(text(html)).toContain('Edit .env');
  });

  it('shows a compact diff for edits, collapsing long ones into an expandable quote', () => {
    const short = {
      ...base,
      tool: 'Edit',
      input: { file_path: '/home/dev/shop/src/a.ts', old_string: 'let x = 1;', new_string: 'const x = 1;' },
      action: claudeAction('Edit', { file_path: '/home/dev/shop/src/a.ts', old_string: 'let x = 1;', new_string: 'const x = 1;' }),
    };
    const shortHtml = renderApprovalCard(short, session, redact, {}, NOW).html;
    expect(shortHtml).toContain('<pre>- let x = 1;\n+ const x = 1;</pre>');
    const long = {
      ...base,
      tool: 'Write',
      input: { file_path: '/home/dev/shop/big.txt', content: Array.from({ length: 200 }, (_, i) => `line ${i}`).join('\n') },
      action: claudeAction('Write', { file_path: '/home/dev/shop/big.txt', content: Array.from({ length: 200 }, (_, i) => `line ${i}`).join('\n') }),
    };
    const parsed = parseTelegramHtml(renderApprovalCard(long, session, redact, {}, NOW).html);
    expect(parsed.entities.some((e) => e.type === 'expandable_blockquote')).toBe(true);
    expect(parsed.text).toContain('… 140 more lines');
    expect(parsed.text.length).toBeLessThan(4096);
  });

  it('puts a long plan in messages above the card, and a short one inside it', () => {
    const plan = {
      ...base,
      kind: 'plan' as const,
      tool: 'ExitPlanMode',
      input: {},
      action: claudeAction('ExitPlanMode', {}),
      plan: `# Plan\n\n${'- step\n'.repeat(600)}`,
    };
    const long = renderApprovalCard(plan, session, redact, {}, NOW);
    expect(long.preface).toContain('Plan');
    expect(text(long.html)).toContain('The plan is in the messages above.');
    expect(long.keyboard.flat().map((b) => b.payload.action)).toEqual(['allow', 'deny', 'deny_reason']);
    const short = renderApprovalCard({ ...plan, plan: '1. Read\n2. Fix' }, session, redact, {}, NOW);
    expect(short.preface).toBeNull();
    expect(text(short.html)).toContain('1. Read');
  });

  it('offers one button per option of a question and marks picked answers', () => {
    const q: Approval = {
      ...base,
      kind: 'question',
      tool: 'AskUserQuestion',
      questions: [
        { question: 'Which DB?', header: 'DB', options: [{ label: 'Postgres' }, { label: 'SQLite', description: 'simple' }] },
        { question: 'Extras?', options: [{ label: 'Docker' }, { label: 'CI' }], multiSelect: true },
      ],
    };
    const view = renderApprovalCard(q, session, redact, { 'Which DB?': 'SQLite' }, NOW);
    const labels = view.keyboard.flat().map((b) => `${b.text}=${b.payload.action}`);
    expect(labels).toEqual(['Postgres=answer:0', '☑️ SQLite=answer:1', 'Docker=answer:2', 'CI=answer:3', '📨 Submit=allow', '❌ Dismiss=deny']);
    expect(text(view.html)).toContain('☑️ SQLite — simple');
    expect(optionAt(q, 3)).toMatchObject({ label: 'CI', question: { question: 'Extras?' } });
    expect(optionAt(q, 4)).toBeNull();
  });

  it('repaints to the outcome, saying who decided from where', () => {
    const allowed = { ...base, status: 'allowed' as const, surface: 'telegram' as const, reason: 'allowed by telegram:1 via telegram for this session' };
    expect(text(renderApprovalOutcome(allowed, session, redact))).toMatch(/^✅ Allowed from Telegram for this session\n/);
    expect(text(outcomeLine({ ...base, status: 'allowed', surface: 'desktop' }))).toBe('✅ Allowed via desktop');
    expect(text(outcomeLine({ ...base, status: 'denied', surface: 'telegram', message: 'use staging' }))).toBe('❌ Denied from Telegram\n💬 use staging');
    expect(text(outcomeLine({ ...base, status: 'expired', surface: 'timeout', reason: 'timed out after 300 s with no decision' }))).toBe(
      '⌛ Expired: timed out after 300 s with no decision',
    );
    expect(text(outcomeLine({ ...base, status: 'cancelled', surface: 'core', reason: 'the session was stopped' }))).toBe(
      '🚫 Cancelled: the session was stopped',
    );
    expect(renderApprovalOutcome(allowed, session, redact)).toContain('rm -rf build');
  });
});

describe('cards across agents', () => {
  const text = (a: Approval): string => parseTelegramHtml(renderApprovalCard(a, session, redact, {}, NOW).html).text;
  /** The card of another agent's call, with everything but the call the same as Claude's. */
  const cardOf = (action: Approval['action']): string => text({ ...base, tool: action.tool, input: action.input, action });

  it("a Codex command reads like Claude's: Run, the command, the risk, what a session grant covers", () => {
    const claude = cardOf(claudeAction('Bash', { command: 'rm -rf build' }));
    const codex = cardOf(shellAction("/bin/bash -lc 'rm -rf build'", '/home/dev/shop', [{ command: 'rm -rf build' }]));
    for (const card of [claude, codex]) {
      expect(card).toMatch(/^Run\b/m);
      expect(card).toContain('high risk');
      expect(card).toContain('deletes files recursively (rm -rf)');
      expect(card).toContain('“Allow for this session” covers the command `rm -rf build` exactly.');
    }
    expect(codex).toContain("/bin/bash -lc 'rm -rf build'");
  });

  it("a Gemini file edit reads like Claude's: Edit, the file, and the diff", () => {
    const claude = cardOf(claudeAction('Edit', { file_path: '/home/dev/shop/src/a.ts', old_string: 'let x = 1;', new_string: 'const x = 1;' }));
    const gemini = cardOf(
      acpAction(
        mergeToolCall(newToolCall('replace-1'), {
          title: 'src/a.ts',
          kind: 'edit',
          locations: [{ path: '/home/dev/shop/src/a.ts' }],
          content: [{ type: 'diff', path: '/home/dev/shop/src/a.ts', oldText: 'let x = 1;', newText: 'const x = 1;' }],
        }),
      ),
    );
    for (const card of [claude, gemini]) {
      expect(card).toMatch(/^Edit\b.*src\/a\.ts/m);
      expect(card).toContain('- let x = 1;\n+ const x = 1;');
    }
  });
});
