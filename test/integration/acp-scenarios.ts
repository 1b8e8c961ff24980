/**
 * End-to-end scenarios through the public API for the ACP agents: the real pinned Gemini CLI,
 * OpenCode, GitHub Copilot CLI and Qwen Code, driven by the core's ACP runner, against fake model
 * servers on 127.0.0.1 (Gemini API, Chat Completions). The same scenarios run for every agent (one
 * file each: acp-session-<agent>.test.ts); what differs is how each fake shows what the model saw.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Approval, Session, SessionEvent } from '../../src-main/contract/index.ts';
import { startAcpHarness, type AcpHarness } from '../helpers/acp-harness.ts';
import { waitFor } from '../helpers/wait-for.ts';

/** A cold CLI start on a busy 2-core machine takes seconds (OpenCode ≈ 4 s): every wait gets a minute. */
const WAIT_MS = 60_000;
/** A test may run two or three turns and a restart. */
const TEST_MS = 180_000;

const finalText = (evs: SessionEvent[]): string =>
  evs
    .filter((e) => e.kind === 'message' && e.payload.role === 'assistant')
    .map((e) => (e.kind === 'message' ? e.payload.text : ''))
    .at(-1) ?? '';
const turnsEnded = (evs: SessionEvent[]): number => evs.filter((e) => e.kind === 'status' && e.payload.turn === 'ended').length;

/** What differs between the ACP agents the scenarios run against. */
export interface AgentCase {
  agent: 'gemini' | 'opencode' | 'copilot' | 'qwen';
  /** The tool results the agent sent back to its model, as text. */
  toolResults(h: AcpHarness): string[];
  /** Every model request's conversation, as text. */
  conversations(h: AcpHarness): string[];
  /** Waits until the agent can load a session created before `createdBy` (ms). */
  loadableAfter(createdBy: number): Promise<void>;
}

/**
 * Gemini CLI 0.61.0 names a session's file by the minute it started; session/load first re-creates
 * that file for the minute of the load, so a load within the same minute empties the conversation
 * ("No previous sessions found"), a later one works (acp/PROTOCOL.md, "Gemini"). The test waits for
 * the next minute: the behaviour under test is the resume, not that race.
 */
async function nextMinute(createdBy: number): Promise<void> {
  const due = createdBy - (createdBy % 60_000) + 60_500;
  if (Date.now() < due) await new Promise((r) => setTimeout(r, due - Date.now()));
}

/** An agent on the fake Chat Completions API: what the model saw is in its messages. */
const onChat = (agent: 'opencode' | 'copilot' | 'qwen'): AgentCase => ({
  agent,
  toolResults: (x) => x.chat.toolResults().map((r) => r.content),
  conversations: (x) => x.chat.modelRequests().map((r) => JSON.stringify(r.messages)),
  loadableAfter: async () => undefined,
});

/** The ACP agents tested here, by id. */
export const ACP_CASES = {
  gemini: {
    agent: 'gemini',
    toolResults: (x) => x.gemini.functionResponses().map((r) => JSON.stringify(r.response)),
    conversations: (x) => x.gemini.modelRequests().map((r) => JSON.stringify(r.contents)),
    loadableAfter: nextMinute,
  },
  opencode: onChat('opencode'),
  copilot: onChat('copilot'),
  qwen: onChat('qwen'),
} satisfies Record<AgentCase['agent'], AgentCase>;

/** Registers every scenario for one agent (one test file per agent, so the agents run side by side). */
export function acpScenarios(c: AgentCase): void {
  let h: AcpHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  describe(`${c.agent} over ACP through the API`, () => {
    const start = async (prompt: string): Promise<Session> => {
      const { session } = await h!.api.post<{ session: Session }>('/sessions', { agent: c.agent, cwd: h!.project, prompt, mode: 'ask' });
      return session;
    };
    const decide = (a: Approval, body: Record<string, unknown>) => h!.api.post<{ approval: Approval }>(`/approvals/${a.id}/decision`, body);

    it('a shell command waits for approval; allowed, it runs and its result reaches the model', { timeout: TEST_MS }, async () => {
      h = await startAcpHarness();
      const s = await start('RUN: echo approved-output > out.txt');
      const a = await h.api.waitApproval(s.id, WAIT_MS);
      expect(a.action).toMatchObject({ kind: 'shell', command: 'echo approved-output > out.txt' });
      expect(a.status).toBe('pending');
      expect(existsSync(join(h.project, 'out.txt'))).toBe(false);
      expect((await h.api.session(s.id)).agentSessionId).toBeTruthy();

      await decide(a, { decision: 'allow' });
      const evs = await h.api.waitTurnEnd(s.id, 0, WAIT_MS);
      expect(readFileSync(join(h.project, 'out.txt'), 'utf8').trim()).toBe('approved-output');
      expect(evs.map((e) => e.kind)).toEqual(expect.arrayContaining(['tool_call', 'approval_requested', 'approval_decided', 'tool_result', 'usage']));
      const call = evs.find((e) => e.kind === 'tool_call');
      expect(call?.kind === 'tool_call' && call.payload.action).toMatchObject({ kind: 'shell', command: 'echo approved-output > out.txt' });
      expect(finalText(evs)).toMatch(/^FAKE-DONE/);
      expect(c.toolResults(h)).toHaveLength(1);
      expect((await h.api.session(s.id)).state).toBe('idle');
    });

    it('denied, the command does not run and the agent gets the rejection', { timeout: TEST_MS }, async () => {
      h = await startAcpHarness();
      const s = await start('RUN: touch denied.txt');
      const a = await h.api.waitApproval(s.id, WAIT_MS);
      await decide(a, { decision: 'deny', message: 'not now' });
      const evs = await h.api.waitTurnEnd(s.id, 0, WAIT_MS);
      expect(existsSync(join(h.project, 'denied.txt'))).toBe(false);
      // Gemini hands the rejection to the model at once; OpenCode ends the turn and sends it with the next message.
      await h.api.post(`/sessions/${s.id}/messages`, { text: 'SAY: after the denial' });
      await waitFor(async () => finalText(await h!.api.events(s.id)) === 'after the denial', 'the next turn', WAIT_MS);
      expect(existsSync(join(h.project, 'denied.txt'))).toBe(false);
      expect(c.conversations(h).at(-1)).toMatch(/was canceled by the user|rejected permission|denied|declined|rejected/i);
      const decided = evs.find((e) => e.kind === 'approval_decided');
      expect(decided?.kind === 'approval_decided' && decided.payload.status).toBe('denied');
    });

    it('a file edit asks with its edits; allowed, the file changes', { timeout: TEST_MS }, async () => {
      h = await startAcpHarness();
      writeFileSync(join(h.project, 'notes.txt'), 'colour: red\n');
      // An absolute path, as models write it (Qwen Code refuses a relative one).
      const path = join(h.project, 'notes.txt');
      const s = await start(`EDIT: ${path} :: red :: blue`);
      const a = await h.api.waitApproval(s.id, WAIT_MS);
      expect(a.action).toMatchObject({ kind: 'edit', paths: expect.arrayContaining([path]) });
      // The whole file (Gemini, OpenCode: ACP diff content) or the replaced fragment (Copilot: its input).
      expect(a.action?.edits).toEqual([{ path, oldText: expect.stringContaining('red'), newText: expect.stringContaining('blue') }]);
      expect(a.action?.edits?.[0]?.oldText).not.toContain('blue');
      await decide(a, { decision: 'allow' });
      await h.api.waitTurnEnd(s.id, 0, WAIT_MS);
      expect(readFileSync(path, 'utf8')).toBe('colour: blue\n');
    });

    it('resumes its conversation with session/load after the core restarts', { timeout: 150_000 }, async () => {
      h = await startAcpHarness();
      const s = await start('SAY: remember the word pelican');
      await h.api.waitTurnEnd(s.id, 0, WAIT_MS);
      const createdBy = Date.now();
      const agentId = (await h.api.session(s.id)).agentSessionId;
      expect(agentId).toBeTruthy();
      await h.restart();
      expect((await h.api.session(s.id)).state).toBe('idle');
      await c.loadableAfter(createdBy);
      const before = c.conversations(h).length;
      await h.api.post(`/sessions/${s.id}/messages`, { text: 'SAY: resumed fine' });
      let seen: SessionEvent[] = [];
      const evs = await waitFor(
        async () => {
          seen = await h!.api.events(s.id);
          return finalText(seen) === 'resumed fine' ? seen : undefined;
        },
        () => `the resumed turn (events so far: ${JSON.stringify(seen.slice(-6).map((e) => e.payload)).slice(0, 2000)})`,
        WAIT_MS,
      );
      expect(c.conversations(h).slice(before).at(-1)).toContain('remember the word pelican');
      expect((await h.api.session(s.id)).agentSessionId).toBe(agentId);
      // The replayed history is not appended to the log again.
      expect(evs.filter((e) => e.kind === 'message' && e.payload.text === 'remember the word pelican')).toHaveLength(1);
      expect(evs.some((e) => e.kind === 'error')).toBe(false);
    });

    it('an interrupt cancels a slow turn (session/cancel); the session takes the next message', { timeout: TEST_MS }, async () => {
      h = await startAcpHarness();
      const s = await start('SLOW: 20000 a very long answer that will be cut short');
      await waitFor(async () => c.conversations(h!).length > 0, 'the slow model request', WAIT_MS);
      const { interrupted } = await h.api.post<{ interrupted: boolean }>(`/sessions/${s.id}/interrupt`);
      expect(interrupted).toBe(true);
      const evs = await h.api.waitTurnEnd(s.id, 0, WAIT_MS);
      expect(evs.some((e) => e.kind === 'status' && e.payload.detail === 'turn interrupted')).toBe(true);
      await h.api.post(`/sessions/${s.id}/messages`, { text: 'SAY: after the interrupt' });
      await waitFor(
        async () => {
          const all = await h!.api.events(s.id);
          return turnsEnded(all) >= 2 && finalText(all) === 'after the interrupt';
        },
        'the next turn',
        WAIT_MS,
      );
    });
  });
}
