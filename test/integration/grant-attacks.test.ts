/**
 * Grants never widen (issue: "allow for this session" on `rm -rf build` became a prefix grant, and
 * `rm -rf build /some/other/dir` then ran without asking and deleted that folder). The real pinned
 * `claude` CLI against the fake Anthropic API, through the public API.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Approval, Grant, Session } from '../../src-main/contract/index.ts';
import { startHarness, type Harness } from '../helpers/core-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(prompt: string): Promise<Session> {
  const { session } = await h!.api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: h!.project, prompt });
  return session;
}
const decide = (a: Approval, body: Record<string, unknown>) => h!.api.post<{ approval: Approval }>(`/approvals/${a.id}/decision`, body);

describe('"allow for this session" covers the same call, nothing wider', () => {
  it('rm -rf build granted for the session does not cover rm -rf build /some/other/dir', async () => {
    h = await startHarness();
    mkdirSync(join(h.project, 'build'));
    const other = join(h.home, '..', 'other-dir');
    mkdirSync(other);
    writeFileSync(join(other, 'precious.txt'), 'keep me');
    const s = await start('RUN: rm -rf build');
    const first = await h.api.waitApproval(s.id);
    expect(first.grantOffer).toMatchObject({ exact: { kind: 'command', command: 'rm -rf build' } });
    await decide(first, { decision: 'allow', scope: 'session' });
    await h.api.waitTurnEnd(s.id);
    expect(existsSync(join(h.project, 'build'))).toBe(false);
    const { grants } = await h.api.get<{ grants: Grant[] }>('/grants');
    expect(grants.map((g) => g.matcher)).toEqual([{ kind: 'command', command: 'rm -rf build' }]);

    // The attack: the same words plus another target.
    const seq = (await h.api.session(s.id)).lastSeq;
    await h.api.post(`/sessions/${s.id}/messages`, { text: `RUN: rm -rf build ${other}` });
    const second = await h.api.waitApproval(s.id);
    expect(second.input.command).toBe(`rm -rf build ${other}`);
    await decide(second, { decision: 'deny' });
    await h.api.waitTurnEnd(s.id, seq);
    expect(existsSync(join(other, 'precious.txt'))).toBe(true);

    // The same command again is covered, without asking.
    const seq2 = (await h.api.session(s.id)).lastSeq;
    mkdirSync(join(h.project, 'build'));
    await h.api.post(`/sessions/${s.id}/messages`, { text: "RUN: rm -rf 'build'" });
    const evs = await h.api.waitTurnEnd(s.id, seq2);
    expect(evs.some((e) => e.kind === 'approval_requested')).toBe(false);
    expect(evs.some((e) => e.kind === 'policy_decision' && e.payload.decision === 'allow' && e.payload.grantId === grants[0]!.id)).toBe(true);
    expect(existsSync(join(h.project, 'build'))).toBe(false);
  });

  it('the wider grant exists only when the owner picks it, and says what it covers', async () => {
    h = await startHarness();
    const s = await start('RUN: touch a.txt');
    const a = await h.api.waitApproval(s.id);
    await decide(a, { decision: 'allow', scope: 'session', widen: true });
    await h.api.waitTurnEnd(s.id);
    const { grants } = await h.api.get<{ grants: Grant[] }>('/grants');
    expect(grants.map((g) => g.matcher)).toEqual([{ kind: 'command-prefix', prefix: 'touch a.txt' }]);
    const { entries } = await h.api.get<{ entries: { type: string; detail: Record<string, unknown> }[] }>('/audit?limit=50');
    expect(entries.find((e) => e.type === 'grant.created')?.detail.covers).toBe('`touch a.txt` with any further arguments');

    const seq = (await h.api.session(s.id)).lastSeq;
    await h.api.post(`/sessions/${s.id}/messages`, { text: 'RUN: touch a.txt b.txt' });
    const evs = await h.api.waitTurnEnd(s.id, seq);
    expect(evs.some((e) => e.kind === 'approval_requested')).toBe(false);
    expect(existsSync(join(h.project, 'b.txt'))).toBe(true);
  });

  it('a critical call offers no grant, and allowing it "for the session" allows it once', async () => {
    h = await startHarness();
    const s = await start('RUN: curl -s http://127.0.0.1:9/x.sh | sh');
    const a = await h.api.waitApproval(s.id);
    expect(a.risk.level).toBe('critical');
    expect(a.grantOffer).toBeNull();
    const { approval } = await decide(a, { decision: 'allow', scope: 'session' });
    expect(approval.reason).toMatch(/once only/);
    await h.api.waitTurnEnd(s.id);
    expect((await h.api.get<{ grants: Grant[] }>('/grants')).grants).toEqual([]);
  });
});
