/**
 * End to end through the public API only: the real pinned `claude` CLI, driven by the core,
 * against the fake Anthropic API on 127.0.0.1.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Approval, Followup, Session, SessionEvent } from '../../src-main/contract/index.ts';
import { toolResultsIn } from '../fakes/anthropic/index.ts';
import { startHarness, type Harness } from '../helpers/core-harness.ts';
import { waitFor } from '../helpers/wait-for.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const start = async (prompt: string, mode = 'ask', plan = false): Promise<Session> => {
  const { session } = await h!.api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: h!.project, prompt, mode, plan });
  return session;
};
const decide = (a: Approval, body: Record<string, unknown>) => h!.api.post<{ approval: Approval }>(`/approvals/${a.id}/decision`, body);
const allToolResults = () => h!.fake.requests.flatMap((r) => toolResultsIn(r.messages));
const finalText = (evs: SessionEvent[]): string =>
  evs
    .filter((e) => e.kind === 'message' && e.payload.role === 'assistant')
    .map((e) => (e.kind === 'message' ? e.payload.text : ''))
    .at(-1) ?? '';

describe('a Claude session through the API', () => {
  it('turns a risky Bash call into a pending approval; allow runs it and the result arrives', async () => {
    h = await startHarness();
    const s = await start('RUN: echo approved-output > out.txt && cat out.txt');
    const a = await h.api.waitApproval(s.id);
    expect(a).toMatchObject({ kind: 'tool', tool: 'Bash', status: 'pending' });
    expect(a.input.command).toBe('echo approved-output > out.txt && cat out.txt');
    expect(['medium', 'high', 'critical']).toContain(a.risk.level);
    expect((await h.api.session(s.id)).state).toBe('waiting');
    expect(existsSync(join(h.project, 'out.txt'))).toBe(false);

    const { approval } = await decide(a, { decision: 'allow' });
    expect(approval.status).toBe('allowed');
    const evs = await h.api.waitTurnEnd(s.id);
    expect(readFileSync(join(h.project, 'out.txt'), 'utf8').trim()).toBe('approved-output');
    const result = evs.find((e) => e.kind === 'tool_result');
    expect(result?.kind === 'tool_result' && result.payload.text).toContain('approved-output');
    expect(finalText(evs)).toContain('approved-output');
    expect(evs.map((e) => e.kind)).toEqual(expect.arrayContaining(['tool_call', 'approval_requested', 'approval_decided', 'tool_result', 'usage']));
    expect((await h.api.session(s.id)).state).toBe('idle');
  });

  it('deny with a message: the command does not run and the model receives the message', async () => {
    h = await startHarness();
    const s = await start('RUN: touch denied.txt');
    const a = await h.api.waitApproval(s.id);
    await decide(a, { decision: 'deny', message: 'not now, use the staging dir' });
    const evs = await h.api.waitTurnEnd(s.id);
    expect(existsSync(join(h.project, 'denied.txt'))).toBe(false);
    expect(allToolResults().some((r) => r.isError && r.text.includes('not now, use the staging dir'))).toBe(true);
    expect(finalText(evs)).toContain('not now, use the staging dir');
    const decided = evs.find((e) => e.kind === 'approval_decided');
    expect(decided?.kind === 'approval_decided' && decided.payload.status).toBe('denied');
  });

  it('a pending approval times out to deny, telling the agent it timed out', async () => {
    h = await startHarness({ approvalTimeoutSeconds: 1 });
    const s = await start('RUN: touch late.txt');
    const a = await h.api.waitApproval(s.id);
    await h.api.waitTurnEnd(s.id, 0, 15_000);
    const after = await h.api.get<{ approval: Approval }>(`/approvals/${a.id}`);
    expect(after.approval.status).toBe('expired');
    expect(after.approval.reason).toMatch(/timed out/);
    expect(allToolResults().some((r) => r.isError && /timed out/.test(r.text))).toBe(true);
    expect(existsSync(join(h.project, 'late.txt'))).toBe(false);
    const late = await h.api.raw('POST', `/approvals/${a.id}/decision`, { decision: 'allow' });
    expect(late.status).toBe(409);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe('already_decided');
  });

  it('read-only tools run in ask mode without asking', async () => {
    h = await startHarness();
    writeFileSync(join(h.project, 'notes.txt'), 'read-me-content\n');
    const s = await start(`TOOL: Read {"file_path":"${join(h.project, 'notes.txt')}"}\nTOOL: Grep {"pattern":"read-me","path":"${h.project}"}`);
    const evs = await h.api.waitTurnEnd(s.id);
    expect(evs.filter((e) => e.kind === 'approval_requested')).toHaveLength(0);
    const results = evs.filter((e) => e.kind === 'tool_result');
    expect(results).toHaveLength(2);
    expect(results[0]?.kind === 'tool_result' && results[0].payload.text).toContain('read-me-content');
  });

  it('a read-only tool reaching outside the project still asks, with the reason', async () => {
    h = await startHarness();
    const outside = join(h.home, '..', 'outside.txt');
    writeFileSync(outside, 'secret-ish\n');
    const s = await start(`TOOL: Read {"file_path":"${outside}"}`);
    const a = await h.api.waitApproval(s.id);
    expect(a.tool).toBe('Read');
    expect(a.risk.tags).toContain('outside-project');
    await decide(a, { decision: 'deny' });
    await h.api.waitTurnEnd(s.id);
  });

  it('a queue follow-up sent while busy is delivered after the turn', async () => {
    h = await startHarness();
    const s = await start('SLOW: 1500 first answer streaming slowly');
    await h.api.waitState(s.id, (x) => x.state === 'running', 'running');
    const { followup } = await h.api.post<{ followup: Followup }>(`/sessions/${s.id}/messages`, { text: 'SAY: second answer', delivery: 'queue' });
    expect(followup.state).toBe('queued');
    const mid = await h.api.get<{ followups: Followup[] }>(`/sessions/${s.id}`);
    expect(mid.followups.find((f) => f.id === followup.id)?.state).toBe('queued');
    const evs = await waitFor(async () => {
      const all = await h!.api.events(s.id);
      return all.filter((e) => e.kind === 'status' && e.payload.turn === 'ended').length >= 2 ? all : undefined;
    }, 'two turns');
    const firstEnd = evs.findIndex((e) => e.kind === 'status' && e.payload.turn === 'ended');
    const sent = evs.findIndex((e) => e.kind === 'followup' && e.payload.state === 'sent');
    expect(sent).toBeGreaterThan(firstEnd);
    expect(finalText(evs)).toBe('second answer');
  });

  it('an interrupt follow-up stops the running turn, then is delivered', async () => {
    h = await startHarness();
    const s = await start('SLOW: 8000 a very long answer that will be cut');
    await h.api.waitState(s.id, (x) => x.state === 'running', 'running');
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    await h.api.post(`/sessions/${s.id}/messages`, { text: 'SAY: after the interrupt', delivery: 'interrupt' });
    const evs = await waitFor(async () => {
      const all = await h!.api.events(s.id);
      return all.filter((e) => e.kind === 'status' && e.payload.turn === 'ended').length >= 2 ? all : undefined;
    }, 'interrupted turn and the follow-up turn');
    expect(Date.now() - t0).toBeLessThan(6000);
    expect(evs.some((e) => e.kind === 'status' && e.payload.detail === 'turn interrupted')).toBe(true);
    expect(finalText(evs)).toBe('after the interrupt');
  });

  it('stop interrupts and ends the session; a later message resumes it', async () => {
    h = await startHarness();
    const s = await start('SLOW: 8000 long');
    await h.api.waitState(s.id, (x) => x.state === 'running', 'running');
    const { session } = await h.api.post<{ session: Session }>(`/sessions/${s.id}/stop`);
    expect(session.state).toBe('stopped');
    await h.api.post(`/sessions/${s.id}/messages`, { text: 'SAY: back again' });
    const evs = await waitFor(async () => {
      const all = await h!.api.events(s.id);
      return finalText(all) === 'back again' ? all : undefined;
    }, 'the resumed answer');
    expect(evs.length).toBeGreaterThan(0);
  });

  it('resumes with --resume after the core restarts', async () => {
    h = await startHarness();
    const s = await start('SAY: remember the word pelican');
    await h.api.waitTurnEnd(s.id);
    const agentId = (await h.api.session(s.id)).agentSessionId;
    expect(agentId).toBeTruthy();
    await h.restart();
    expect((await h.api.session(s.id)).state).toBe('idle');
    const before = h.fake.requests.length;
    await h.api.post(`/sessions/${s.id}/messages`, { text: 'SAY: resumed fine' });
    await waitFor(async () => finalText(await h!.api.events(s.id)) === 'resumed fine', 'the resumed turn');
    const resumedReq = h.fake.requests.slice(before).at(-1)!;
    expect(JSON.stringify(resumedReq.messages)).toContain('remember the word pelican');
    expect((await h.api.session(s.id)).agentSessionId).toBe(agentId);
  });

  it('an AskUserQuestion answered through the API reaches the model', async () => {
    h = await startHarness();
    const q = {
      questions: [
        {
          question: 'Which build system should I use?',
          header: 'Build',
          options: [
            { label: 'make', description: 'GNU make' },
            { label: 'ninja', description: 'Ninja' },
          ],
          multiSelect: false,
        },
      ],
    };
    const s = await start(`TOOL: AskUserQuestion ${JSON.stringify(q)}`);
    const a = await h.api.waitApproval(s.id);
    expect(a.kind).toBe('question');
    expect(a.questions?.[0]?.options.map((o) => o.label)).toEqual(['make', 'ninja']);
    const missing = await h.api.raw('POST', `/approvals/${a.id}/decision`, { decision: 'allow' });
    expect(missing.status).toBe(400);
    await decide(a, { decision: 'allow', answers: { 'Which build system should I use?': 'ninja' } });
    await h.api.waitTurnEnd(s.id);
    expect(allToolResults().some((r) => r.text.includes('"Which build system should I use?"="ninja"'))).toBe(true);
  });

  it('a plan approval carries the plan and allowing it lets the agent proceed', async () => {
    h = await startHarness();
    const s = await start('TOOL: ExitPlanMode {"plan":"1. Delete build dir\\n2. Rebuild"}', 'ask', true);
    const a = await h.api.waitApproval(s.id);
    expect(a.kind).toBe('plan');
    expect(a.plan).toBe('1. Delete build dir\n2. Rebuild');
    await decide(a, { decision: 'allow' });
    const evs = await h.api.waitTurnEnd(s.id);
    expect(finalText(evs)).toMatch(/approved/i);
  });

  it('allow for this session creates a grant that decides the same command next time', async () => {
    h = await startHarness();
    const s = await start('RUN: touch granted.txt');
    const a = await h.api.waitApproval(s.id);
    await decide(a, { decision: 'allow', scope: 'session' });
    await h.api.waitTurnEnd(s.id);
    const { grants } = await h.api.get<{ grants: { id: string; tool: string; matcher: unknown }[] }>('/grants');
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ tool: 'shell', matcher: { kind: 'command', command: 'touch granted.txt' } });
    const seqBefore = (await h.api.session(s.id)).lastSeq;
    await h.api.post(`/sessions/${s.id}/messages`, { text: 'RUN: touch granted.txt' });
    const evs = await h.api.waitTurnEnd(s.id, seqBefore);
    // The grant decides in the tool check, before the agent would ask: no approval at all.
    const decided = evs.find((e) => e.kind === 'policy_decision');
    expect(decided?.kind === 'policy_decision' && decided.payload).toMatchObject({ decision: 'allow', grantId: grants[0]!.id });
    expect(evs.some((e) => e.kind === 'approval_requested')).toBe(false);
    await h.api.del(`/grants/${grants[0]!.id}`);
    expect((await h.api.get<{ grants: unknown[] }>('/grants')).grants).toHaveLength(0);
  });

  it('standby mode denies risky calls, telling the agent the owner is away', async () => {
    h = await startHarness();
    const s = await start('RUN: touch away.txt', 'standby');
    const evs = await h.api.waitTurnEnd(s.id);
    expect(existsSync(join(h.project, 'away.txt'))).toBe(false);
    expect(evs.some((e) => e.kind === 'policy_decision' && e.payload.decision === 'deny' && /standby/.test(e.payload.reason))).toBe(true);
    expect(allToolResults().some((r) => r.isError && /away/i.test(r.text))).toBe(true);
  });
});
