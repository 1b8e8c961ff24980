/**
 * End to end through the public API only: the real pinned `codex app-server`, driven by the core,
 * against the fake Responses API on 127.0.0.1.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Approval, Session, SessionEvent } from '../../src-main/contract/index.ts';
import { messageText, toolOutputText } from '../fakes/openai-responses/index.ts';
import { startCodexHarness, type CodexHarness } from '../helpers/codex-harness.ts';
import { waitFor } from '../helpers/wait-for.ts';

let h: CodexHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const start = async (prompt: string, mode = 'ask'): Promise<Session> => {
  const { session } = await h!.api.post<{ session: Session }>('/sessions', { agent: 'codex', cwd: h!.project, prompt, mode });
  return session;
};
const decide = (a: Approval, body: Record<string, unknown>) => h!.api.post<{ approval: Approval }>(`/approvals/${a.id}/decision`, body);
const finalText = (evs: SessionEvent[]): string =>
  evs
    .filter((e) => e.kind === 'message' && e.payload.role === 'assistant')
    .map((e) => (e.kind === 'message' ? e.payload.text : ''))
    .at(-1) ?? '';
/** Every tool output the model received, and the user text that followed it in the same request. */
const lastRequestInput = () => h!.fake.requests.at(-1)?.input ?? [];

describe('a Codex session through the API', () => {
  it('a command asks; allow runs it (its effect is on disk) and the result arrives', async () => {
    h = await startCodexHarness();
    const s = await start('RUN: echo approved-output > out.txt && cat out.txt');
    const a = await h.api.waitApproval(s.id);
    expect(a).toMatchObject({ kind: 'tool', status: 'pending' });
    expect(a.action).toMatchObject({ kind: 'shell', title: 'echo approved-output > out.txt && cat out.txt' });
    expect(a.action?.command).toContain('echo approved-output > out.txt && cat out.txt');
    expect((await h.api.session(s.id)).state).toBe('waiting');
    expect(existsSync(join(h.project, 'out.txt'))).toBe(false);

    await decide(a, { decision: 'allow' });
    const evs = await h.api.waitTurnEnd(s.id);
    expect(readFileSync(join(h.project, 'out.txt'), 'utf8').trim()).toBe('approved-output');
    const result = evs.find((e) => e.kind === 'tool_result');
    expect(result?.kind === 'tool_result' && result.payload).toMatchObject({ isError: false });
    expect(result?.kind === 'tool_result' && result.payload.text).toMatch(/approved-output\n\[exit code 0\]/);
    expect(finalText(evs)).toContain('DONE:');
    expect(evs.map((e) => e.kind)).toEqual(expect.arrayContaining(['tool_call', 'approval_requested', 'approval_decided', 'tool_result', 'usage']));
    const usage = evs.find((e) => e.kind === 'usage');
    expect(usage?.kind === 'usage' && usage.payload.inputTokens).toBeGreaterThan(0);
    const session = await h.api.session(s.id);
    expect(session.state).toBe('idle');
    expect(session.agentSessionId).toBeTruthy();
  });

  it('deny with a message: the command does not run and the model receives the denial and the message', async () => {
    h = await startCodexHarness();
    const s = await start('RUN: touch denied.txt');
    const a = await h.api.waitApproval(s.id);
    await decide(a, { decision: 'deny', message: 'not now, use the staging dir' });
    const evs = await h.api.waitTurnEnd(s.id);
    expect(existsSync(join(h.project, 'denied.txt'))).toBe(false);
    const input = lastRequestInput();
    const output = input.find((i) => i['type'] === 'function_call_output');
    expect(output && toolOutputText(output)).toMatch(/rejected/i);
    expect(input.some((i) => i['role'] === 'user' && messageText(i).includes('not now, use the staging dir'))).toBe(true);
    expect(finalText(evs)).toContain('not now, use the staging dir');
    const result = evs.find((e) => e.kind === 'tool_result');
    expect(result?.kind === 'tool_result' && result.payload).toMatchObject({ isError: true });
    expect((await h.api.session(s.id)).state).toBe('idle');
  });

  it('a file edit asks with the diff; allow applies it', async () => {
    h = await startCodexHarness();
    const s = await start('PATCH:\n*** Begin Patch\n*** Add File: notes/added.txt\n+first line\n+second line\n*** End Patch\n');
    const a = await h.api.waitApproval(s.id);
    expect(a.action).toMatchObject({ kind: 'write', paths: [join(h.project, 'notes/added.txt')] });
    expect(a.action?.patch).toContain('+first line\n+second line');
    expect(existsSync(join(h.project, 'notes/added.txt'))).toBe(false);
    await decide(a, { decision: 'allow' });
    await h.api.waitTurnEnd(s.id);
    expect(readFileSync(join(h.project, 'notes/added.txt'), 'utf8')).toBe('first line\nsecond line\n');
  });

  it('an interrupt stops a slow turn; the session stays up for the next message', async () => {
    h = await startCodexHarness();
    const s = await start('SLOW: 20000 a very long answer that will be cut');
    await waitFor(() => h!.fake.requests.length > 0 || undefined, 'the model request');
    expect(await h.api.post<{ interrupted: boolean }>(`/sessions/${s.id}/interrupt`)).toEqual({ interrupted: true });
    const evs = await h.api.waitTurnEnd(s.id);
    expect(evs.some((e) => e.kind === 'status' && e.payload.detail === 'turn interrupted')).toBe(true);
    const seq = (await h.api.session(s.id)).lastSeq;
    await h.api.post(`/sessions/${s.id}/messages`, { text: 'SAY: still here' });
    expect(finalText(await h.api.waitTurnEnd(s.id, seq))).toBe('still here');
  });

  it('resumes the same thread after the core restarts, with the history replayed to the model', async () => {
    h = await startCodexHarness();
    const s = await start('SAY: remember the word pelican');
    await h.api.waitTurnEnd(s.id);
    const thread = (await h.api.session(s.id)).agentSessionId;
    expect(thread).toBeTruthy();
    await h.restart();
    expect((await h.api.session(s.id)).state).toBe('idle');
    const before = h.fake.requests.length;
    const seq = (await h.api.session(s.id)).lastSeq;
    await h.api.post(`/sessions/${s.id}/messages`, { text: 'SAY: resumed fine' });
    expect(finalText(await h.api.waitTurnEnd(s.id, seq))).toBe('resumed fine');
    const resumed = h.fake.requests.slice(before).at(-1)!;
    expect(resumed.input.some((i) => i['role'] === 'user' && messageText(i).includes('remember the word pelican'))).toBe(true);
    expect(resumed.headers['thread-id'] ?? resumed.headers['session-id']).toBe(thread);
    expect((await h.api.session(s.id)).agentSessionId).toBe(thread);
  });

  it('an interrupt while an approval waits: Codex withdraws the request, the approval is cancelled, nothing runs', async () => {
    h = await startCodexHarness();
    const s = await start('RUN: touch never.txt');
    const a = await h.api.waitApproval(s.id);
    expect(await h.api.post<{ interrupted: boolean }>(`/sessions/${s.id}/interrupt`)).toEqual({ interrupted: true });
    const evs = await h.api.waitTurnEnd(s.id);
    expect(evs.some((e) => e.kind === 'status' && e.payload.detail === 'turn interrupted')).toBe(true);
    const after = await h.api.get<{ approval: Approval }>(`/approvals/${a.id}`);
    expect(after.approval.status).toBe('cancelled');
    expect(after.approval.reason).toMatch(/withdrew/);
    expect(existsSync(join(h.project, 'never.txt'))).toBe(false);
    expect((await h.api.session(s.id)).state).toBe('idle');
  });

  it('a follow-up sent while a turn runs waits for it, then runs as its own turn', async () => {
    h = await startCodexHarness();
    const s = await start('SLOW: 1500 first answer streaming slowly');
    await h.api.waitState(s.id, (x) => x.state === 'running', 'running');
    await h.api.post(`/sessions/${s.id}/messages`, { text: 'SAY: second answer', delivery: 'steer' });
    const evs = await waitFor(async () => {
      const all = await h!.api.events(s.id);
      return all.filter((e) => e.kind === 'status' && e.payload.turn === 'ended').length >= 2 ? all : undefined;
    }, 'two turns');
    const answers = evs.filter((e) => e.kind === 'message' && e.payload.role === 'assistant').map((e) => (e.kind === 'message' ? e.payload.text : ''));
    expect(answers).toEqual(['first answer streaming slowly', 'second answer']);
    expect((await h.api.session(s.id)).state).toBe('idle');
  });
});
