/**
 * `GET /api/v1/agents/:id/version`: what the settings screen shows next to each agent, from the real
 * pinned `claude` CLI behind a real core.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/core-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('GET /agents/:id/version', () => {
  it("answers the executable's own version line, null for a missing agent, 404 for an unknown id", async () => {
    h = await startHarness({ agents: { codex: { bin: '/nonexistent/codex' } } });
    const claude = await h.api.get<{ version: string | null }>('/agents/claude/version');
    expect(claude.version).toMatch(/^\d+\.\d+\.\d+/);
    // Asked once: the same answer again.
    expect(await h.api.get<{ version: string | null }>('/agents/claude/version')).toEqual(claude);
    expect(await h.api.get<{ version: string | null }>('/agents/codex/version')).toEqual({ version: null });
    const unknown = await h.api.raw('GET', '/agents/nope/version');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('reins doctor');
  });
});
