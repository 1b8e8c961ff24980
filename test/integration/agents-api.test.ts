import { afterEach, describe, expect, it } from 'vitest';
import type { AgentsResponse, Session } from '../../src-main/contract/index.ts';
import { startHarness, type Harness } from '../helpers/core-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('GET /agents', () => {
  it('lists every agent of the registry with whether it is installed and what it can do', async () => {
    h = await startHarness();
    const { agents } = await h.api.get<AgentsResponse>('/agents');
    const claude = agents.find((a) => a.id === 'claude');
    expect(claude).toMatchObject({
      displayName: 'Claude Code',
      installed: true,
      tested: true,
      capabilities: { approvals: true, toolChecks: true, resume: true, interrupt: true },
    });
    expect(agents.every((a) => a.installHint.length > 0)).toBe(true);
  });

  it('says an agent whose executable is missing is not installed, and a session with it fails saying how to install it', async () => {
    h = await startHarness({ agents: { claude: { bin: '/nonexistent/claude' } } });
    const { agents } = await h.api.get<AgentsResponse>('/agents');
    expect(agents.find((a) => a.id === 'claude')?.installed).toBe(false);
    const { session } = await h.api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: h.project, prompt: 'hi' });
    const failed = await h.api.waitState(session.id, (s) => s.state === 'failed', 'the session to fail');
    expect(failed.stateReason).toMatch(
      /could not start `\/nonexistent\/claude` \(ENOENT.*\)\. Install Claude Code \(npm i -g @anthropic-ai\/claude-code\) or set REINS_CLAUDE_BIN \/ agents\.claude\.bin/,
    );
  });

  it('refuses a session for an agent it does not know, naming those it has', async () => {
    h = await startHarness();
    const r = await h.api.raw('POST', '/sessions', { agent: 'nobody', cwd: h.project, prompt: 'hi' });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/Agent "nobody" is not supported yet\. Supported: claude/);
  });
});
