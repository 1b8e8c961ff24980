/**
 * The Claude translation, fed the stdout lines captured from the pinned CLI (test/fixtures/claude).
 * Invariants every runner must keep: only kinds of the closed event union, one turn end per `result`,
 * nothing dropped (unknown lines come back raw), tool results matched to their calls.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EVENT_KINDS } from '../../../src-main/contract/index.ts';
import { newTranslateState, translateClaudeLine, TOOL_RESULT_MAX_CHARS } from '../../../src-main/core/agents/claude/index.ts';
import type { RunOutput } from '../../../src-main/core/agents/runner.ts';

const DIR = fileURLToPath(new URL('../../fixtures/claude/', import.meta.url));
const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.jsonl'));

const replay = (file: string): { lines: unknown[]; outputs: RunOutput[] } => {
  const lines = readFileSync(DIR + file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as unknown);
  const state = newTranslateState();
  return { lines, outputs: lines.flatMap((l) => translateClaudeLine(l, state).outputs) };
};

describe('Claude translation over captured fixtures', () => {
  it('pins the CLI version the fixtures came from', () => {
    expect(readFileSync(`${DIR}VERSION`, 'utf8').trim()).toBe('2.1.329');
    expect(fixtures.length).toBeGreaterThanOrEqual(7);
  });

  for (const file of fixtures) {
    it(`${file}: closed union, one turn end per result, tool results follow their calls`, () => {
      const { lines, outputs } = replay(file);
      const results = lines.filter((l) => (l as { type?: string }).type === 'result').length;
      expect(outputs.filter((o) => o.type === 'turn-ended')).toHaveLength(results);
      const calls = new Set<string>();
      for (const o of outputs) {
        if (o.type !== 'event') continue;
        expect(EVENT_KINDS).toContain(o.event.kind);
        if (o.event.kind === 'tool_call') calls.add(o.event.payload.toolUseId);
        if (o.event.kind === 'tool_result') expect(calls.has(o.event.payload.toolUseId)).toBe(true);
      }
      // Every line produced something or is a known silent kind (control responses, stream deltas).
      const state = newTranslateState();
      for (const l of lines) {
        const t = translateClaudeLine(l, state);
        const type = (l as { type?: string }).type;
        if (t.outputs.length === 0) expect(['control_response', 'stream_event', 'system']).toContain(type);
      }
      expect(outputs.some((o) => o.type === 'agent-session')).toBe(true);
    });
  }

  it('tool-allow: a can_use_tool becomes a tool permission request with the tool input', () => {
    const perm = replay('tool-allow.jsonl').outputs.find((o) => o.type === 'permission');
    expect(perm?.type === 'permission' && perm.request.action).toMatchObject({
      kind: 'shell',
      tool: 'Bash',
      command: expect.any(String),
      input: { command: expect.any(String) },
    });
  });

  it('ask-user-question: becomes a question with its options', () => {
    const perm = replay('ask-user-question.jsonl').outputs.find((o) => o.type === 'permission');
    expect(perm?.type === 'permission' && perm.request.action.kind).toBe('question');
    expect(perm?.type === 'permission' && perm.request.action.questions?.[0]?.options.length).toBeGreaterThan(1);
  });

  it('plan: the plan comes from the assistant tool_use when the request input is empty', () => {
    const perm = replay('plan.jsonl').outputs.find((o) => o.type === 'permission');
    expect(perm?.type === 'permission' && perm.request.action.kind).toBe('plan');
    expect(perm?.type === 'permission' && perm.request.action.plan).toBeTruthy();
  });

  it('interrupt: the turn ends as interrupted, not as an error', () => {
    const { outputs } = replay('interrupt.jsonl');
    expect(outputs.find((o) => o.type === 'turn-ended')).toMatchObject({ interrupted: true, ok: false });
    expect(outputs.some((o) => o.type === 'event' && o.event.kind === 'error')).toBe(false);
  });

  it('interrupt-pending-tool: the pending request is cancelled', () => {
    expect(replay('interrupt-pending-tool.jsonl').outputs.some((o) => o.type === 'permission-cancelled')).toBe(true);
  });

  it('api-error: an API failure ends the turn with a provider error (status, plain words, advice) and says why', () => {
    const { outputs } = replay('api-error.jsonl');
    const provider = outputs.find((o) => o.type === 'event' && o.event.kind === 'provider_error');
    expect(provider).toEqual({
      type: 'event',
      event: {
        kind: 'provider_error',
        payload: {
          category: 'unknown',
          status: 400,
          message: 'the agent stopped with an error',
          advice: 'see the error in the transcript; send the message again to retry',
          detail: 'API Error: 400 Scripted failure (FAIL: 400).',
        },
      },
    });
    expect(outputs.at(-1)).toEqual({
      type: 'turn-ended',
      ok: false,
      interrupted: false,
      reason: 'the agent stopped with an error: see the error in the transcript; send the message again to retry',
    });
  });

  it("reports each model response's tokens once mid-turn (its content blocks come as lines of their own)", () => {
    const { outputs } = replay('tool-allow.jsonl');
    expect(outputs.filter((o) => o.type === 'usage-progress')).toEqual([
      { type: 'usage-progress', tokens: 201 },
      { type: 'usage-progress', tokens: 301 },
    ]);
  });

  it('api_retry: each retry of the CLI is a provider error with its attempt, and the running reason', () => {
    const line = { type: 'system', subtype: 'api_retry', attempt: 2, max_retries: 10, retry_delay_ms: 8000, error_status: 529, error: 'Overloaded' };
    expect(translateClaudeLine(line, newTranslateState()).outputs).toEqual([
      {
        type: 'event',
        event: {
          kind: 'provider_error',
          payload: {
            category: 'overloaded',
            status: 529,
            message: 'the model provider is overloaded',
            advice: 'wait a few minutes and send the message again',
            retry: { attempt: 2, maxAttempts: 10, delayMs: 8000 },
            detail: 'Overloaded',
          },
        },
      },
      { type: 'provider-retry', note: 'the model provider is overloaded; retrying in 8 s, attempt 2 of 10' },
    ]);
  });

  it('resume: per-turn usage comes from model_usage_since_last_result, not the cumulative total', () => {
    const lines = readFileSync(`${DIR}resume.jsonl`, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const result = lines.find((l) => l.type === 'result')!;
    const usage = translateClaudeLine(result, newTranslateState()).outputs.find((o) => o.type === 'event' && o.event.kind === 'usage');
    const since = Object.values(result.model_usage_since_last_result as Record<string, { costUSD: number }>).reduce((n, m) => n + m.costUSD, 0);
    expect(usage?.type === 'event' && usage.event.kind === 'usage' && usage.event.payload.costUsd).toBeCloseTo(since, 6);
    expect(since).toBeLessThan(result.total_cost_usd as number);
  });

  it('keeps unknown lines raw and cuts huge tool results', () => {
    const state = newTranslateState();
    expect(translateClaudeLine({ type: 'brand_new', x: 1 }, state).outputs).toEqual([
      { type: 'event', event: { kind: 'raw', payload: { agentType: 'brand_new', data: { type: 'brand_new', x: 1 } } } },
    ]);
    expect(translateClaudeLine('just a string', state).outputs[0]).toMatchObject({ type: 'event', event: { kind: 'raw' } });
    const big = 'y'.repeat(TOOL_RESULT_MAX_CHARS + 10);
    const out = translateClaudeLine({ type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: big }] } }, state)
      .outputs[0];
    expect(out?.type === 'event' && out.event.kind === 'tool_result' && out.event.payload).toMatchObject({
      truncated: true,
      text: big.slice(0, TOOL_RESULT_MAX_CHARS),
    });
  });

  it('answers unsupported control requests with an error, as the protocol requires', () => {
    const t = translateClaudeLine({ type: 'control_request', request_id: 'r1', request: { subtype: 'hook_callback' } }, newTranslateState());
    expect(t.unsupported).toEqual({ requestId: 'r1', subtype: 'hook_callback' });
  });
});
