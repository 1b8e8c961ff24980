/**
 * The hook endpoint and the hook client process against a real core, without an agent: each agent's
 * answer format, the owner's decision, a hook whose time runs out or that hangs up, and a restart.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Approval, HookCallResponse, Session } from '../../src-main/contract/index.ts';
import { startHarness, type Harness } from '../helpers/core-harness.ts';
import { waitFor } from '../helpers/wait-for.ts';

const LAUNCHER = join(resolve(import.meta.dirname, '..', '..'), 'bin', 'reins.js');

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** One hook process, as the agent starts it: the hook input on stdin, the answer on stdout. */
function hook(agent: string, input: unknown): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, [LAUNCHER, 'hook', agent, '--home', h!.home], { stdio: ['pipe', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stdin.end(JSON.stringify(input));
  return new Promise((done) => child.once('exit', (code) => done({ code, stdout: stdout.trim() })));
}

const call = (over: Record<string, unknown> = {}) => ({
  agent: 'claude',
  sessionId: 'agent-s1',
  cwd: h!.project,
  transcriptPath: null,
  tool: 'Bash',
  input: { command: 'touch x' },
  toolUseId: 'toolu_1',
  budgetMs: 60_000,
  ...over,
});

describe('hook calls from agents Reins did not start', () => {
  it("answers a harmless read in each agent's format, one adopted session per agent conversation", async () => {
    h = await startHarness();
    const readme = join(h.project, 'README.md');
    const claude = await hook('claude', {
      session_id: 'c-1',
      transcript_path: '/tmp/c-1.jsonl',
      cwd: h.project,
      hook_event_name: 'PreToolUse',
      tool_name: 'Read',
      tool_input: { file_path: readme },
      tool_use_id: 't1',
    });
    expect(JSON.parse(claude.stdout).hookSpecificOutput).toMatchObject({ permissionDecision: 'allow' });
    const codex = await hook('codex', {
      session_id: 'x-1',
      cwd: h.project,
      hook_event_name: 'PreToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'ls' },
      tool_use_id: 't2',
    });
    expect(codex).toEqual({ code: 0, stdout: '' });
    const gemini = await hook('gemini', {
      session_id: 'g-1',
      cwd: h.project,
      hook_event_name: 'BeforeTool',
      tool_name: 'read_file',
      tool_input: { absolute_path: readme },
    });
    expect(JSON.parse(gemini.stdout)).toMatchObject({ decision: 'allow' });
    const cursor = await hook('cursor', {
      conversation_id: 'k-1',
      generation_id: 'gen',
      workspace_roots: [h.project],
      hook_event_name: 'beforeReadFile',
      file_path: readme,
      content: '',
    });
    expect(JSON.parse(cursor.stdout)).toMatchObject({ permission: 'allow' });
    // A second call of the same conversation finds its session again.
    await hook('claude', {
      session_id: 'c-1',
      transcript_path: '/tmp/c-1.jsonl',
      cwd: h.project,
      hook_event_name: 'PreToolUse',
      tool_name: 'Read',
      tool_input: { file_path: readme },
      tool_use_id: 't3',
    });
    const { sessions } = await h.api.get<{ sessions: Session[] }>('/sessions');
    expect(sessions.map((s) => [s.agent, s.agentSessionId, s.adopted, s.state]).sort()).toEqual([
      ['claude', 'c-1', true, 'running'],
      ['codex', 'x-1', true, 'running'],
      ['cursor', 'k-1', true, 'running'],
      ['gemini', 'g-1', true, 'running'],
    ]);
    expect(sessions.find((s) => s.agent === 'claude')?.transcriptPath).toBe('/tmp/c-1.jsonl');
  });

  it('a risky call waits for the owner; Reins itself stays out of reach; Codex hears only the deny', async () => {
    h = await startHarness();
    const pending = hook('codex', {
      session_id: 'x-2',
      cwd: h.project,
      hook_event_name: 'PreToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'git push --force' },
      tool_use_id: 't1',
    });
    const a = await waitFor(async () => (await h!.api.pending())[0], 'the approval');
    expect(a.action).toMatchObject({ kind: 'shell', command: 'git push --force' });
    expect((await h.api.session(a.sessionId)).state).toBe('waiting');
    await h.api.post<{ approval: Approval }>(`/approvals/${a.id}/decision`, { decision: 'deny', message: 'not today' });
    expect(JSON.parse((await pending).stdout).hookSpecificOutput).toEqual({
      hookEventName: 'PreToolUse',
      permissionDecision: 'deny',
      permissionDecisionReason: 'not today',
    });
    expect((await h.api.session(a.sessionId)).state).toBe('running');
    const reins = await h.api.post<HookCallResponse>('/hooks/tool-call', call({ input: { command: `cat ${join(h.home, 'runtime.json')}` } }));
    expect(reins.decision).toBe('deny');
    expect(await h.api.pending()).toEqual([]);
  });

  it("withdraws the approval when the hook's budget ends or the hook hangs up", async () => {
    h = await startHarness();
    const answer = await h.api.post<HookCallResponse>('/hooks/tool-call', call({ budgetMs: 300 }));
    expect(answer).toMatchObject({ decision: 'deny', reason: expect.stringContaining("the agent's hook can wait") });
    expect((await h.api.get<{ approval: Approval }>(`/approvals/${answer.approvalId}`)).approval.status).toBe('cancelled');

    const hangUp = new AbortController();
    const waiting = h.api.raw('POST', '/hooks/tool-call', call({ toolUseId: 'toolu_2' }));
    const res = fetch(`${h.url}/api/v1/hooks/tool-call`, {
      method: 'POST',
      signal: hangUp.signal,
      headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(call({ toolUseId: 'toolu_3', input: { command: 'touch y' } })),
    }).catch(() => null);
    const mine = await waitFor(async () => (await h!.api.pending()).find((a) => a.action.command === 'touch y'), 'the approval of the hook that hangs up');
    hangUp.abort();
    await res;
    await waitFor(
      async () => (await h!.api.get<{ approval: Approval }>(`/approvals/${mine.id}`)).approval.status === 'cancelled',
      'the approval to be withdrawn',
    );
    // The other call still waits, and its decision still reaches it.
    const other = (await h.api.pending())[0]!;
    await h.api.post(`/approvals/${other.id}/decision`, { decision: 'allow' });
    expect(await (await waiting).json()).toMatchObject({ decision: 'allow' });
  });

  it('adopted sessions cannot be stopped or messaged, and a restart leaves them running', async () => {
    h = await startHarness();
    const { sessionId } = await h.api.post<HookCallResponse>('/hooks/tool-call', call({ tool: 'Read', input: { file_path: join(h.project, 'a') } }));
    expect((await h.api.raw('POST', `/sessions/${sessionId}/stop`)).status).toBe(409);
    expect((await h.api.raw('POST', `/sessions/${sessionId}/messages`, { text: 'hi' })).status).toBe(409);
    void h.api.raw('POST', '/hooks/tool-call', call({ toolUseId: 'toolu_9' })).catch(() => null);
    await waitFor(async () => (await h!.api.pending()).length === 1, 'a pending approval');
    await h.restart();
    const s = await h.api.session(sessionId);
    expect(s).toMatchObject({ adopted: true, state: 'running' });
    expect(await h.api.pending()).toEqual([]);
  });
});
