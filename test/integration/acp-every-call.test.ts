/**
 * Qwen Code and OpenCode run what they think harmless (reads, `cat`, `ls`) without asking; under the
 * settings Reins starts them with, every such call reaches Reins' policy first: harmless ones run
 * without bothering the owner, and Reins' own data is out of reach in every mode (real CLIs).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src-main/contract/index.ts';
import { startAcpHarness, type AcpHarness } from '../helpers/acp-harness.ts';

let h: AcpHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const WAIT_MS = 60_000;

/** What every model request carried, as text. */
const conversations = (x: AcpHarness): string[] => [...x.chat.modelRequests().map((r) => JSON.stringify(r.messages))];

describe.each(['qwen', 'opencode'] as const)('%s: every call through policy', (agent) => {
  const run = async (prompt: string, mode: 'ask' | 'auto') => {
    const { session } = await h!.api.post<{ session: Session }>('/sessions', { agent, cwd: h!.project, prompt, mode });
    const evs = await h!.api.waitTurnEnd(session.id, 0, WAIT_MS);
    return { session, evs };
  };

  it.each([
    ['ask', 'RUN: cat'],
    ['auto', 'READ:'],
  ] as const)(
    '%s mode, `%s` of runtime.json in the data directory: denied by policy, the token never reaches the model',
    { timeout: 120_000 },
    async (mode, how) => {
      h = await startAcpHarness();
      const { evs } = await run(`${how} ${h.home}/runtime.json`, mode);
      // OpenCode first asks to reach outside the project (the data directory), then for the call itself.
      const decided = evs.filter((e) => e.kind === 'approval_decided').map((e) => e.kind === 'approval_decided' && e.payload);
      expect(decided.length).toBeGreaterThan(0);
      for (const d of decided) expect(d).toMatchObject({ status: 'denied', decidedBy: 'policy', reason: 'reaches Reins itself' });
      expect(conversations(h).join('\n')).not.toContain(h.daemon.token);
    },
  );

  it('ask mode: a harmless read in the project runs without asking the owner, recorded as a policy decision', { timeout: 120_000 }, async () => {
    h = await startAcpHarness();
    const { evs } = await run('RUN: ls', 'ask');
    const decided = evs.find((e) => e.kind === 'approval_decided');
    expect(decided?.kind === 'approval_decided' && decided.payload).toMatchObject({ status: 'allowed', decidedBy: 'policy' });
    expect(h.chat.toolResults()).toHaveLength(1);
  });
});
