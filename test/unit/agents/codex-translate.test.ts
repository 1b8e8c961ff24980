/**
 * Codex app-server lines → Reins output, using lines the pinned 0.169.0 CLI printed against a fake
 * model (test/fixtures/codex/app-server-*.jsonl: server → client lines of one session each).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  commandPermission,
  fileChangeAction,
  fileChangePermission,
  newTranslateState,
  translateNotification,
  TOOL_RESULT_MAX_CHARS,
  type TranslateState,
} from '../../../src-main/core/agents/codex/index.ts';
import type { CommandExecutionRequestApprovalParams } from '../../../src-main/core/agents/codex/generated/v2/CommandExecutionRequestApprovalParams.ts';
import type { FileChangeRequestApprovalParams } from '../../../src-main/core/agents/codex/generated/v2/FileChangeRequestApprovalParams.ts';
import type { RunOutput } from '../../../src-main/core/agents/runner.ts';

type Line = { method?: string; id?: number; params?: unknown; result?: unknown };

/** Runs a captured session through the translation the way the runner does. */
function replay(name: string, state: TranslateState = newTranslateState()): RunOutput[] {
  const lines = readFileSync(new URL(`../../fixtures/codex/app-server-${name}.jsonl`, import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
  const out: RunOutput[] = [];
  for (const line of lines) {
    if (line.method === undefined) continue;
    if (line.id === undefined) out.push(...translateNotification(line.method, line.params, state));
    else if (line.method === 'item/commandExecution/requestApproval')
      out.push({ type: 'permission', request: commandPermission(String(line.id), line.params as CommandExecutionRequestApprovalParams, state) });
    else if (line.method === 'item/fileChange/requestApproval')
      out.push({ type: 'permission', request: fileChangePermission(String(line.id), line.params as FileChangeRequestApprovalParams, state) });
  }
  return out;
}
const events = (out: RunOutput[]) => out.flatMap((o) => (o.type === 'event' ? [o.event] : []));
const ofKind = <K extends string>(out: RunOutput[], kind: K) => events(out).filter((e) => e.kind === kind);

describe('Codex translation of captured sessions', () => {
  it('an allowed command: call, permission with a shell action, result with exit status, answer, usage, turn end', () => {
    const out = replay('approve');
    const call = ofKind(out, 'tool_call')[0];
    expect(call?.kind === 'tool_call' && call.payload).toMatchObject({
      toolUseId: 'call_fake_5',
      tool: 'commandExecution',
      action: { kind: 'shell', command: "/bin/bash -lc 'echo hello-from-fake-model && uname -s'", title: 'echo hello-from-fake-model && uname -s' },
    });
    const permission = out.find((o) => o.type === 'permission');
    expect(permission?.type === 'permission' && permission.request).toMatchObject({
      requestId: '0',
      toolUseId: 'call_fake_5',
      agentReason: 'Fake model wants to run this outside the sandbox',
      agentAsked: true,
      action: { kind: 'shell', title: 'echo hello-from-fake-model && uname -s' },
    });
    const result = ofKind(out, 'tool_result')[0];
    expect(result?.kind === 'tool_result' && result.payload).toEqual({
      toolUseId: 'call_fake_5',
      isError: false,
      text: 'hello-from-fake-model\nLinux\n[exit code 0]',
      truncated: false,
    });
    expect(ofKind(out, 'message').map((e) => e.kind === 'message' && e.payload.text)).toEqual([expect.stringMatching(/^FAKE-DONE: tool returned/)]);
    // Two model calls (105 + 106 input tokens): the turn's usage sums each call's `last`.
    expect(ofKind(out, 'usage')[0]?.payload).toMatchObject({ inputTokens: 211, outputTokens: 40, costUsd: null });
    expect(out.filter((o) => o.type === 'turn-ended')).toEqual([{ type: 'turn-ended', ok: true, interrupted: false }]);
    // Reasoning summaries are kept (raw), never shown as the assistant's answer.
    expect(ofKind(out, 'raw').some((e) => e.kind === 'raw' && e.payload.agentType === 'reasoning')).toBe(true);
  });

  it('a declined command: an error result saying it did not run; the turn goes on', () => {
    const out = replay('decline');
    const result = ofKind(out, 'tool_result')[0];
    expect(result?.kind === 'tool_result' && result.payload).toMatchObject({ isError: true, text: '[declined: the command did not run]' });
    expect(out.at(-1)).toEqual({ type: 'turn-ended', ok: true, interrupted: false });
  });

  it('a cancelled command ends the turn as interrupted', () => {
    const out = replay('cancel');
    expect(out.at(-1)).toEqual({ type: 'turn-ended', ok: false, interrupted: true });
  });

  it('a file change: the approval names only the item, the action comes from item/started with its diff', () => {
    const out = replay('patch');
    const permission = out.find((o) => o.type === 'permission');
    expect(permission?.type === 'permission' && permission.request).toMatchObject({
      toolUseId: 'call_fake_10',
      agentReason: null,
      action: {
        kind: 'write',
        tool: 'fileChange',
        title: 'write /scratch/scratch/work3/fake_added.txt',
        paths: ['/scratch/scratch/work3/fake_added.txt'],
        patch: '--- /dev/null\n+++ /scratch/scratch/work3/fake_added.txt\n@@ -0,0 +1,1 @@\n+hello from fake apply_patch\n',
        edits: [{ path: '/scratch/scratch/work3/fake_added.txt', oldText: null, newText: 'hello from fake apply_patch\n' }],
      },
    });
    const result = ofKind(out, 'tool_result')[0];
    expect(result?.kind === 'tool_result' && result.payload).toMatchObject({ isError: false, text: 'applied: /scratch/scratch/work3/fake_added.txt' });
  });

  it('deltas, status changes and diffs produce nothing; unknown methods come back raw', () => {
    const state = newTranslateState();
    expect(translateNotification('item/agentMessage/delta', { delta: 'x' }, state)).toEqual([]);
    expect(translateNotification('turn/diff/updated', { diff: '' }, state)).toEqual([]);
    expect(translateNotification('something/new', { a: 1 }, state)).toEqual([
      { type: 'event', event: { kind: 'raw', payload: { agentType: 'something/new', data: { a: 1 } } } },
    ]);
  });

  it('an error that will be retried is a retry; a final one is reported once, not again at the turn end', () => {
    const state = newTranslateState();
    translateNotification('turn/started', { threadId: 't', turn: { id: 'u1' } }, state);
    const error = { message: 'boom', codexErrorInfo: null, additionalDetails: null, misalignment: null };
    const retried = translateNotification(
      'error',
      { error: { ...error, message: 'Reconnecting... 2/5' }, willRetry: true, threadId: 't', turnId: 'u1' },
      state,
    );
    expect(events(retried)[0]).toMatchObject({ kind: 'provider_error', payload: { retry: { attempt: 2, maxAttempts: 5, delayMs: null } } });
    expect(retried.at(-1)).toEqual({ type: 'provider-retry', note: 'the agent stopped with an error; retrying, attempt 2 of 5' });
    expect(events(translateNotification('error', { error, willRetry: false, threadId: 't', turnId: 'u1' }, state))[0]).toMatchObject({
      kind: 'error',
      payload: { message: 'The turn ended with an error: boom' },
    });
    const end = translateNotification('turn/completed', { threadId: 't', turn: { id: 'u1', status: 'failed', error, durationMs: 5 } }, state);
    expect(ofKind(end, 'error')).toHaveLength(0);
    expect(end.at(-1)).toEqual({
      type: 'turn-ended',
      ok: false,
      interrupted: false,
      reason: 'the agent stopped with an error: see the error in the transcript; send the message again to retry',
    });
  });

  it("Codex's error kinds become provider errors of the same kinds as every agent's, with the upstream status", () => {
    const cases: Array<[unknown, string, number | null]> = [
      ['rateLimitExceeded', 'rate_limit', null],
      ['serverOverloaded', 'overloaded', null],
      ['contextWindowExceeded', 'context_too_long', null],
      ['usageLimitExceeded', 'quota', null],
      ['unauthorized', 'auth', 401],
      [{ httpConnectionFailed: { httpStatusCode: null } }, 'network', null],
      [{ responseStreamDisconnected: { httpStatusCode: 529 } }, 'overloaded', 529],
    ];
    for (const [codexErrorInfo, category, status] of cases) {
      const state = newTranslateState();
      translateNotification('turn/started', { threadId: 't', turn: { id: 'u1' } }, state);
      const error = { message: 'request failed', codexErrorInfo, additionalDetails: null, misalignment: null };
      const out = events(translateNotification('error', { error, willRetry: false, threadId: 't', turnId: 'u1' }, state));
      expect(out[0], String(category)).toMatchObject({ kind: 'provider_error', payload: { category, status, detail: 'request failed' } });
    }
  });

  it('long command output is cut in the event', () => {
    const state = newTranslateState();
    const item = {
      type: 'commandExecution',
      id: 'c1',
      command: 'yes',
      cwd: '/p',
      commandActions: [],
      status: 'completed',
      aggregatedOutput: 'y\n'.repeat(TOOL_RESULT_MAX_CHARS),
      exitCode: 0,
    };
    const result = events(translateNotification('item/completed', { item }, state)).find((e) => e.kind === 'tool_result');
    expect(result?.kind === 'tool_result' && result.payload).toMatchObject({ truncated: true });
    expect(result?.kind === 'tool_result' && result.payload.text.length).toBe(TOOL_RESULT_MAX_CHARS);
  });
});

describe('fileChangeAction', () => {
  it('an update keeps its unified diff, a move names both paths, a delete becomes a diff of removed lines', () => {
    const action = fileChangeAction({
      changes: [
        { path: 'src/a.ts', kind: { type: 'update', move_path: null }, diff: '@@ -1 +1 @@\n-old\n+new\n' },
        { path: 'b.txt', kind: { type: 'update', move_path: 'c.txt' }, diff: '@@ -1 +1 @@\n-x\n+y' },
        { path: 'gone.txt', kind: { type: 'delete' }, diff: 'bye\n' },
      ],
    });
    expect(action).toMatchObject({ kind: 'edit', title: 'edit 4 files', paths: ['src/a.ts', 'b.txt', 'c.txt', 'gone.txt'] });
    expect(action.patch).toBe(
      '--- src/a.ts\n+++ src/a.ts\n@@ -1 +1 @@\n-old\n+new\n' +
        '--- b.txt\n+++ c.txt\n@@ -1 +1 @@\n-x\n+y\n' +
        '--- gone.txt\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-bye\n',
    );
    expect(action.edits).toBeUndefined();
  });
});
