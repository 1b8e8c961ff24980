/**
 * Every tool call is seen by Reins first (issue: Claude allows read-only calls on its own, so
 * `cat .env` and reads of Reins' own token ran with no approval). The real pinned `claude` CLI
 * against the fake Anthropic API: each attack asserts what the model received, since the harm is a
 * secret reaching the model.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session, SessionEvent } from '../../src-main/contract/index.ts';
import { toolResultsIn } from '../fakes/anthropic/index.ts';
import { startHarness, type Harness } from '../helpers/core-harness.ts';
import { waitFor } from '../helpers/wait-for.ts';

const ENV_SECRET = 'sk-live-env-value-4242424242';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(prompt: string, mode: 'ask' | 'auto' | 'standby' = 'ask', cwd = h!.project): Promise<Session> {
  const { session } = await h!.api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd, prompt, mode });
  return session;
}

/** Everything the model was sent, as one string: a secret must never appear in it. */
const modelSaw = (): string => JSON.stringify(h!.fake.requests.map((r) => r.messages));
const toolResults = () => h!.fake.requests.flatMap((r) => toolResultsIn(r.messages));
const policyDecisions = (evs: SessionEvent[]) => evs.flatMap((e) => (e.kind === 'policy_decision' ? [e.payload] : []));

describe('calls the CLI would allow on its own reach policy first', () => {
  it('ask mode: `cat .env` waits for the owner, and a deny keeps the value from the model', async () => {
    h = await startHarness();
    writeFileSync(join(h.project, '.env'), `API_KEY=${ENV_SECRET}\n`);
    const s = await start('RUN: cat .env');
    const a = await h.api.waitApproval(s.id);
    expect(a.risk.tags).toContain('secrets');
    expect(a.grantOffer).toBeNull();
    await h.api.post(`/approvals/${a.id}/decision`, { decision: 'deny', message: 'no secrets' });
    const evs = await h.api.waitTurnEnd(s.id);
    expect(policyDecisions(evs)).toEqual([expect.objectContaining({ tool: 'Bash', decision: 'ask' })]);
    expect(modelSaw()).not.toContain(ENV_SECRET);
    expect(toolResults().some((r) => r.isError && r.text.includes('no secrets'))).toBe(true);
  });

  it('ask mode: the Read tool on .env waits for the owner too', async () => {
    h = await startHarness();
    writeFileSync(join(h.project, '.env'), `API_KEY=${ENV_SECRET}\n`);
    const s = await start('TOOL: Read {"file_path":".env"}');
    const a = await h.api.waitApproval(s.id);
    expect(a).toMatchObject({ tool: 'Read', status: 'pending' });
    await h.api.post(`/approvals/${a.id}/decision`, { decision: 'deny' });
    await h.api.waitTurnEnd(s.id);
    expect(modelSaw()).not.toContain(ENV_SECRET);
  });

  it("a sub-agent's calls are checked too: its `cat .env` waits for the owner", async () => {
    h = await startHarness();
    writeFileSync(join(h.project, '.env'), `API_KEY=${ENV_SECRET}\n`);
    const s = await start('TOOL: Task {"description":"read env","prompt":"RUN: cat .env","subagent_type":"general-purpose"}');
    const a = await h.api.waitApproval(s.id);
    expect(a).toMatchObject({ tool: 'Bash', input: expect.objectContaining({ command: 'cat .env' }) });
    await h.api.post(`/approvals/${a.id}/decision`, { decision: 'deny', message: 'not the env file' });
    await waitFor(() => toolResults().some((r) => r.isError && r.text.includes('not the env file')), 'the deny reaching the sub-agent');
    expect(modelSaw()).not.toContain(ENV_SECRET);
  });

  it('a harmless read runs without asking and is recorded as a policy decision in the timeline', async () => {
    h = await startHarness();
    writeFileSync(join(h.project, 'README.md'), 'hello from the readme\n');
    const s = await start('RUN: cat README.md');
    const evs = await h.api.waitTurnEnd(s.id);
    expect(evs.some((e) => e.kind === 'approval_requested')).toBe(false);
    expect(policyDecisions(evs)).toEqual([expect.objectContaining({ tool: 'Bash', decision: 'allow', reason: expect.stringMatching(/harmless/) })]);
    expect(toolResults().some((r) => !r.isError && r.text.includes('hello from the readme'))).toBe(true);
    const { entries } = await h.api.get<{ entries: { type: string; detail: Record<string, unknown> }[] }>('/audit?limit=50');
    expect(entries.some((e) => e.type === 'policy.allowed' && e.detail.tool === 'Bash')).toBe(true);
  });
});

describe("Reins' own data is never reachable, in any mode", () => {
  // The session's folder contains the data directory (`<dir>/home` inside `<dir>`).
  const cases: Array<[string, (home: string) => string, 'ask' | 'auto' | 'standby']> = [
    ['cat runtime.json (the API token) in auto mode', (home) => `RUN: cat ${home}/runtime.json`, 'auto'],
    ['the Read tool on runtime.json in ask mode', (home) => `TOOL: Read {"file_path":"${home}/runtime.json"}`, 'ask'],
    ['cat secrets.json (the button signing key) in auto mode', (home) => `RUN: cat ${home}/secrets.json`, 'auto'],
    ['grep -r token over the data directory in auto mode', (home) => `RUN: grep -r token ${home}`, 'auto'],
    ['cat runtime.json in standby mode', (home) => `RUN: cat ${home}/runtime.json`, 'standby'],
  ];
  it.each(cases)('%s: denied by policy with a reason the agent sees; the token never reaches the model', async (_label, prompt, mode) => {
    h = await startHarness();
    writeFileSync(join(h.home, 'secrets.json'), JSON.stringify({ 'telegram.signing-key': 'signing-key-value-777' }), { mode: 0o600 });
    const runtime = JSON.parse(readFileSync(join(h.home, 'runtime.json'), 'utf8')) as { token: string };
    const s = await start(prompt(h.home), mode, join(h.home, '..'));
    const evs = await h.api.waitTurnEnd(s.id);
    expect(policyDecisions(evs)).toEqual([expect.objectContaining({ decision: 'deny' })]);
    expect(evs.some((e) => e.kind === 'approval_requested')).toBe(false);
    expect(toolResults().some((r) => r.isError && /reaches Reins itself/.test(r.text))).toBe(true);
    expect(modelSaw()).not.toContain(runtime.token);
    expect(modelSaw()).not.toContain('signing-key-value-777');
    const { entries } = await h.api.get<{ entries: { type: string }[] }>('/audit?limit=50');
    expect(entries.some((e) => e.type === 'policy.denied')).toBe(true);
  });

  it('the API port is out of reach in auto mode: a curl to it with the token is denied', async () => {
    h = await startHarness();
    const port = new URL(h.url).port;
    const s = await start(`RUN: curl -s -H 'Authorization: Bearer guessed' http://127.0.0.1:${port}/api/v1/approvals`, 'auto');
    const evs = await h.api.waitTurnEnd(s.id);
    expect(policyDecisions(evs)).toEqual([expect.objectContaining({ decision: 'deny' })]);
  });
});
