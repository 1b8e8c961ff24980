/**
 * Every sample secret (test/helpers/secret-samples.ts: formats, dotenv values from anywhere in the
 * project, wrapped, invisible and escaped spellings) is hidden on every way text leaves for Telegram:
 * plain redaction, the live status (a running command and the agent's words), an approval card, a
 * final answer, and a message long enough to be split with the secret straddling the cut. Each path
 * runs the real renderers and the writer's own last steps (`redactHtml`, `splitTelegramHtml`). The
 * text around a secret stays readable, and look-alikes (commit ids, hashes, UUIDs) come out unchanged.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Approval, NewEvent, Session, SessionEvent } from '../../../../src-main/contract/index.ts';
import type { Core } from '../../../../src-main/core/create-core.ts';
import { silentLogger } from '../../../../src-main/core/log.ts';
import {
  markdownToTelegramHtml,
  REDACTED,
  redactHtml,
  redactThenShorten,
  splitTelegramHtml,
  type Redactor,
} from '../../../../src-main/surfaces/telegram/format/index.ts';
import { applyEvent, startTurn } from '../../../../src-main/surfaces/telegram/live-turn.ts';
import { createRedaction } from '../../../../src-main/core/redaction/index.ts';
import { renderApprovalCard } from '../../../../src-main/surfaces/telegram/views/approval-card.ts';
import { renderLiveStatus } from '../../../../src-main/surfaces/telegram/views/live-status.ts';
import { parseTelegramHtml } from '../../../fakes/bot-api/index.ts';
import { leakedPiece } from '../../../helpers/secret-leaks.ts';
import { ENV_FILES, LOOK_ALIKES, SECRET_SAMPLES } from '../../../helpers/secret-samples.ts';
import { tempDir } from '../../../helpers/temp-dir.ts';
import { claudeAction } from '../../../../src-main/core/agents/claude/action.ts';

let dir: ReturnType<typeof tempDir>;
let redact: Redactor;
beforeAll(() => {
  dir = tempDir('reins-redact-samples-');
  for (const [path, content] of Object.entries(ENV_FILES)) {
    mkdirSync(dirname(join(dir.path, path)), { recursive: true });
    writeFileSync(join(dir.path, path), content);
  }
  // The bridge's own redaction, over a project list holding the temp project.
  const core = { projects: { list: () => [{ id: 'p1', path: dir.path, name: 'app', createdAt: 0 }] } } as Pick<Core, 'projects'>;
  redact = createRedaction({ core, secrets: [], log: silentLogger }).current();
});
afterAll(() => dir.remove());

const session: Session = {
  id: 's1',
  agent: 'claude',
  projectId: 'p1',
  cwd: '/home/dev/shop',
  mode: 'ask',
  state: 'running',
  stateReason: null,
  waitingFor: null,
  agentSessionId: null,
  adopted: false,
  transcriptPath: null,
  title: 't',
  name: 't',
  archivedAt: null,
  budget: { limit: { costUsd: null, tokens: null }, spent: { costUsd: 0, tokens: 0 } },
  lastSeq: 0,
  createdAt: 0,
  updatedAt: 0,
};

/** What Telegram would show for `html` once the writer redacted it. */
const shown = (html: string): string => parseTelegramHtml(redactHtml(html, redact)).text;

function liveStatus(text: string): string {
  const events: NewEvent[] = [
    { kind: 'status', payload: { state: 'running', turn: 'started' } },
    { kind: 'message', payload: { role: 'assistant', text } },
    { kind: 'tool_call', payload: { toolUseId: 't1', tool: 'Bash', input: { command: text }, action: claudeAction('Bash', { command: text }) } },
  ];
  const turn = startTurn('s1', 1, 0);
  events.forEach((e, i) => {
    applyEvent(turn, { ...e, sessionId: 's1', seq: i + 1, ts: i } as SessionEvent);
  });
  return renderLiveStatus(turn, session, 1000, redact);
}

function card(text: string): string {
  const a: Approval = {
    id: 'a1',
    handle: 'h1',
    sessionId: 's1',
    kind: 'tool',
    tool: 'Bash',
    input: { command: text, description: 'runs it' },
    action: claudeAction('Bash', { command: text, description: 'runs it' }),
    plan: null,
    questions: null,
    risk: { level: 'high', tags: [], reasons: [] },
    status: 'pending',
    decidedBy: null,
    surface: null,
    reason: null,
    message: null,
    answers: null,
    grantOffer: { exact: { kind: 'command', command: text }, wider: null },
    createdAt: 0,
    decidedAt: null,
    expiresAt: 300_000,
  };
  return renderApprovalCard(a, session, redact, {}, 0).html;
}

const finalAnswer = (text: string): string => markdownToTelegramHtml(redact(`Done. Here is what I found:\n\n${text}\n\nAll set.`));

/** A long answer, split into messages with the cut in the middle of the secret. */
const SPLIT_AT = 1500;
function splitParts(text: string, secret: string): string[] {
  const at = Math.max(0, text.indexOf(secret.slice(0, 6))) + Math.floor(secret.length / 2);
  const padding = 'word '.repeat(Math.max(0, Math.floor((SPLIT_AT - 40 - at) / 5)));
  const html = markdownToTelegramHtml(redact(`${padding}\n${text}\n\n${'more text after it. '.repeat(20)}`));
  return splitTelegramHtml(redactHtml(html, redact), SPLIT_AT).map((p) => parseTelegramHtml(p).text);
}

describe('the sample secrets', () => {
  it('are at least 50', () => {
    expect(SECRET_SAMPLES.length).toBeGreaterThanOrEqual(50);
  });

  it.each(SECRET_SAMPLES.map((s) => [s.name, s] as const))('%s: hidden everywhere, its context kept', (_, s) => {
    const out = redact(s.text);
    expect(leakedPiece(out, s.secret), out).toBeNull();
    expect(out).toContain(REDACTED);
    for (const k of s.keeps) expect(out, `keeps ${k}`).toContain(k);
    for (const [surface, text] of [
      ['live status', shown(liveStatus(s.text))],
      ['approval card', shown(card(s.text))],
      ['final answer', shown(finalAnswer(s.text))],
    ] as const) {
      expect(leakedPiece(text, s.secret), `${surface}: ${text}`).toBeNull();
    }
    const parts = splitParts(s.text, s.secret);
    expect(parts.length, 'the long message is split').toBeGreaterThan(1);
    expect(leakedPiece(parts.join('\n'), s.secret), 'split messages').toBeNull();
  });

  it('are hidden once redacted twice (idempotent)', () => {
    for (const s of SECRET_SAMPLES) expect(redact(redact(s.text)), s.name).toBe(redact(s.text));
  });
});

describe('look-alikes', () => {
  it.each(LOOK_ALIKES.map((l) => [l.name, l.text] as const))('%s: unchanged', (_, text) => {
    expect(redact(text)).toBe(text);
  });
});

describe('hostile input', () => {
  it('completes on a megabyte of almost-tokens of each shape the rules look for', () => {
    const hostile = [
      'sk-'.repeat(300_000),
      'A'.repeat(1_000_000),
      `${'A'.repeat(64)}\n`.repeat(15_000),
      `${`${'A'.repeat(64)}\n`.repeat(15_000)}-----END RSA PRIVATE KEY-----`,
      '%2D'.repeat(300_000),
      'ghp_abcd\n'.repeat(100_000),
      `mysql ${' -x'.repeat(300_000)}`,
      `curl ${'-u a'.repeat(200_000)}`,
      '-----BEGIN RSA PRIVATE KEY-----'.repeat(30_000),
    ];
    for (const input of hostile) expect(typeof redact(input)).toBe('string');
  });
});

describe('shortening for a notification or a list', () => {
  it('redacts the whole text before cutting, so no half of a secret is shown', () => {
    for (const s of SECRET_SAMPLES) {
      for (const max of [20, 60, 117]) {
        const line = redactThenShorten(redact, s.text, max);
        expect(line.length).toBeLessThanOrEqual(max);
        expect(leakedPiece(line, s.secret), `${s.name} at ${max}: ${line}`).toBeNull();
      }
    }
  });
});
