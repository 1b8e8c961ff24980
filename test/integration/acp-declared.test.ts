/**
 * An ACP agent the owner declares in config.json (`protocol: 'acp'`): here the pinned OpenCode
 * under another id. The API and doctor list it, and a session with it runs.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import type { AgentsResponse, Session } from '../../src-main/contract/index.ts';
import { pinnedBin } from '../helpers/acp-env.ts';
import { startAcpHarness, type AcpHarness } from '../helpers/acp-harness.ts';
import { waitFor } from '../helpers/wait-for.ts';

const CLI = fileURLToPath(new URL('../../src-main/cli/main.ts', import.meta.url));

let h: AcpHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('a declared ACP agent is listed by the API and doctor, and runs', { timeout: 120_000 }, async () => {
  const declared = { protocol: 'acp', bin: pinnedBin('opencode'), args: ['acp'], displayName: 'My OpenCode' };
  h = await startAcpHarness({ agents: { 'my-opencode': declared } });
  const { agents } = await h.api.get<AgentsResponse>('/agents');
  expect(agents.find((a) => a.id === 'my-opencode')).toMatchObject({
    displayName: 'My OpenCode',
    installed: true,
    tested: false,
    capabilities: { approvals: true, resume: true },
  });

  writeFileSync(join(h.home, 'config.json'), JSON.stringify({ agents: { 'my-opencode': declared } }));
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'doctor', '--home', h.home], { timeout: 30_000 }).catch((e: { stdout: string }) => e);
  expect(stdout).toMatch(/✓ My OpenCode\s+1\.18\.33 .*not covered by Reins' own tests/);

  const { session } = await h.api.post<{ session: Session }>('/sessions', { agent: 'my-opencode', cwd: h.project, prompt: 'SAY: hello from a declared agent' });
  await waitFor(
    async () => {
      const evs = await h!.api.events(session.id);
      return evs.some((e) => e.kind === 'message' && e.payload.role === 'assistant' && e.payload.text === 'hello from a declared agent');
    },
    "the declared agent's answer",
    60_000,
  );
  expect((await h.api.session(session.id)).agentSessionId).toMatch(/^ses_/);
  expect(h.chat.modelRequests().length).toBeGreaterThan(0);
});
