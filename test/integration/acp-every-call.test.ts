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

describe.each(['qwen', 'opencode'] as const)('%s: every call through policy', (agent) => {
  const run = async (prompt: string, mode: 'ask' | 'auto') => {
    const { session } = await h!.api.post<{ session: Session }>('/sessions', { agent, cwd: h!.project, prompt, mode });
    const evs = await h!.api.waitTurnEnd(session.id, 0, WAIT_MS);
    return { session, evs };
  };

  it.each(['ask', 'auto'] as const)(
    '%s mode: `cat runtime.json` of the data directory is denied by policy and the token never reaches the model',
    { timeout: 120_000 },
    async (mode) => {
      h = await startAcpHarness();
      const { evs } = await run(`RUN: cat ${h.home}/runtime.json`, mode);
      const decided = evs.find((e) => e.kind === 'approval_decided');
      expect(decided?.kind === 'approval_decided' && decided.payload).toMatchObject({ status: 'denied', decidedBy: 'policy' });
      const conversations = h.chat.modelRequests().map((r) => JSON.stringify(r.messages));
      expect(conversations.join('\n')).not.toContain(h.daemon.token);
      // Qwen ends the turn on a refusal; the next message carries on without the file.
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
