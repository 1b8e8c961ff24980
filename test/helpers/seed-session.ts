/**
 * Writes a long session straight into a Reins database (the real schema, through the real store),
 * for tests and benchmarks of how the window copes with length: no agent runs, so 100 000 events
 * take seconds, not hours. The events read like real turns: a message from the owner, the agent's
 * Markdown, reads, a shell command with its output, the turn's usage.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ToolAction } from '../../src-main/contract/action.ts';
import type { NewEvent } from '../../src-main/contract/events.ts';
import { openStore } from '../../src-main/core/store/index.ts';
import type { StoredApproval } from '../../src-main/core/store/index.ts';

/** What to seed. */
export interface SeedOptions {
  /** The data directory (created if missing); the database is its `reins.db`. */
  home: string;
  /** The project directory the session ran in. */
  cwd: string;
  title: string;
  /** How many events (0 for an empty session). */
  events: number;
  /** Events appended after the seeded turns (a scenario of its own). */
  extraEvents?: readonly NewEvent[];
  /** Approvals of the session to store (the `sessionId` is filled in). */
  approvals?: readonly Omit<StoredApproval, 'sessionId'>[];
}

const shell = (command: string): ToolAction => ({ kind: 'shell', tool: 'Bash', title: command, command, input: { command } });
const read = (path: string): ToolAction => ({ kind: 'read', tool: 'Read', title: `read ${path}`, paths: [path], input: { file_path: path } });

/** The events of turn `n`, in order (11 of them). */
function turn(n: number): NewEvent[] {
  const id = `t${n}`;
  return [
    {
      kind: 'followup',
      payload: {
        followupId: `f${n}`,
        text: `Step ${n}: run the tests and fix what fails`,
        delivery: 'queue',
        state: 'sent',
        source: n % 2 ? 'telegram' : 'desktop',
      },
    },
    { kind: 'status', payload: { state: 'running', turn: 'started' } },
    { kind: 'message', payload: { role: 'assistant', text: `Looking at **step ${n}**. First the sources:`, messageId: `m${n}a` } },
    { kind: 'tool_call', payload: { toolUseId: `${id}r`, tool: 'Read', input: { file_path: 'src/app.ts' }, action: read('src/app.ts') } },
    { kind: 'tool_result', payload: { toolUseId: `${id}r`, isError: false, text: 'export const app = 1;\n', truncated: false } },
    { kind: 'tool_call', payload: { toolUseId: `${id}s`, tool: 'Bash', input: { command: 'npm test' }, action: shell('npm test') } },
    {
      kind: 'policy_decision',
      payload: {
        toolUseId: `${id}s`,
        tool: 'Bash',
        action: shell('npm test'),
        decision: 'allow',
        reason: 'allowed by a grant',
        risk: { level: 'low', tags: [], reasons: [] },
      },
    },
    { kind: 'tool_result', payload: { toolUseId: `${id}s`, isError: false, text: `> test\n${n} passing\n`, truncated: false } },
    {
      kind: 'message',
      payload: {
        role: 'assistant',
        text: `## Step ${n} done\n\n- tests pass\n- nothing to fix\n\n\`\`\`ts\nexport const step = ${n};\n\`\`\``,
        messageId: `m${n}b`,
      },
    },
    { kind: 'usage', payload: { costUsd: 0.0123, inputTokens: 1200 + n, outputTokens: 300, durationMs: 4200 } },
    { kind: 'status', payload: { state: 'idle', turn: 'ended' } },
  ];
}

/** Seeds one idle session of `events` events; returns its id. */
export function seedSession(options: SeedOptions): string {
  mkdirSync(options.home, { recursive: true, mode: 0o700 });
  const store = openStore(join(options.home, 'reins.db'));
  try {
    const now = Date.now();
    const project = store.projects.ensure(options.cwd, now);
    const sessionId = `seeded-${options.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    store.sessions.insert({
      id: sessionId,
      projectId: project.id,
      agent: 'claude',
      mode: 'ask',
      state: 'idle',
      title: options.title,
      name: sessionId.slice('seeded-'.length, 'seeded-'.length + 32),
      createdAt: now,
      updatedAt: now,
    });
    const insert = store.db.prepare('INSERT INTO events (session_id, seq, ts, kind, payload) VALUES (?, ?, ?, ?, ?)');
    store.transaction(() => {
      let seq = 0;
      for (let n = 1; seq < options.events; n++) {
        for (const event of turn(n)) {
          if (seq >= options.events) break;
          seq++;
          insert.run(sessionId, seq, now - (options.events - seq) * 1000, event.kind, JSON.stringify(event.payload));
        }
      }
      for (const event of options.extraEvents ?? []) {
        seq++;
        insert.run(sessionId, seq, now, event.kind, JSON.stringify(event.payload));
      }
      for (const approval of options.approvals ?? []) store.approvals.insert({ ...approval, sessionId });
      store.sessions.setLastSeq(sessionId, seq, now);
    });
    return sessionId;
  } finally {
    store.close();
  }
}
