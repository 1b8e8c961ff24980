import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, createApiClient, type ApiClient } from '../../src-main/client/api-client.ts';
import { createAppStore, startLiveSync, type AppStore, type LiveSync } from '../../src-renderer/store/index.ts';
import { PAGE_SIZE } from '../../src-renderer/store/events-slice.ts';
import { startHarness, type Harness } from '../helpers/core-harness.ts';
import { seedSession } from '../helpers/seed-session.ts';
import { waitFor } from '../helpers/wait-for.ts';

// The renderer's store and API client, without React, against a real core driving the real `claude`
// CLI (fake Anthropic API behind it), over real HTTP and the real WebSocket stream.

let h: Harness | null = null;
let sync: LiveSync | null = null;
afterEach(async () => {
  sync?.stop();
  sync = null;
  await h?.close();
  h = null;
});

const nodeIo = {
  fetch: (input: string | URL | Request, init?: RequestInit) => fetch(input, init),
  openSocket: (url: string, protocols: string[]) => new WebSocket(url, protocols),
};

async function liveStore(): Promise<{ store: AppStore; api: ApiClient; harness: Harness }> {
  h = await startHarness();
  const api = createApiClient({ url: h.url, token: h.token }, { io: nodeIo });
  const store = createAppStore(api);
  sync = startLiveSync(store, api, { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 50))) });
  await waitFor(() => store.getState().link.status === 'live', 'the stream to go live');
  return { store, api, harness: h };
}

describe('renderer store against a real core', () => {
  it('starts a session, shows its approval, and denies it from the desktop', async () => {
    const { store, harness } = await liveStore();
    expect(store.getState().sessions).toEqual({});

    const session = await store.getState().createSession({ agent: 'claude', cwd: harness.project, prompt: 'RUN: rm -rf build', mode: 'ask' });
    expect(store.getState().selectedSessionId).toBe(session.id);

    const approval = await waitFor(() => Object.values(store.getState().pendingApprovals)[0], 'the approval to reach the store');
    expect(approval).toMatchObject({ sessionId: session.id, tool: 'Bash', status: 'pending' });
    expect(approval.input).toMatchObject({ command: 'rm -rf build' });

    await store.getState().decide(approval.id, { decision: 'deny' });
    expect(store.getState().pendingApprovals).toEqual({});
    expect(store.getState().decisionErrors).toEqual({});

    const decided = await waitFor(
      () => store.getState().transcripts[session.id]?.events.find((event) => event.kind === 'approval_decided'),
      'the decision in the timeline',
    );
    expect(decided.payload).toMatchObject({ approvalId: approval.id, status: 'denied', surface: 'desktop' });
    const timeline = store.getState().transcripts[session.id]!.events;
    expect(timeline.map((event) => event.seq)).toEqual(timeline.map((_, index) => index + 1));
    await waitFor(() => store.getState().sessions[session.id]?.state === 'idle', 'the session to go idle');
  });

  it('treats an approval another surface decided first as gone, not as an error', async () => {
    const { store, harness } = await liveStore();
    const session = await store.getState().createSession({ agent: 'claude', cwd: harness.project, prompt: 'RUN: rm -rf dist', mode: 'ask' });
    const approval = await waitFor(() => Object.values(store.getState().pendingApprovals)[0], 'the approval');
    await harness.api.post(`/approvals/${approval.id}/decision`, { decision: 'deny' });
    await store.getState().decide(approval.id, { decision: 'allow' });
    expect(store.getState().pendingApprovals[approval.id]).toBeUndefined();
    expect(store.getState().decisionErrors).toEqual({});
    await waitFor(() => store.getState().sessions[session.id]?.state === 'idle', 'the session to go idle');
  });

  it('sends a follow-up that lands in the timeline', async () => {
    const { store, harness } = await liveStore();
    const session = await store.getState().createSession({ agent: 'claude', cwd: harness.project, prompt: 'SAY: hello', mode: 'ask' });
    await waitFor(() => store.getState().sessions[session.id]?.state === 'idle', 'the first turn to end');
    await store.getState().sendMessage(session.id, 'SAY: again', 'queue');
    await waitFor(
      () => store.getState().transcripts[session.id]?.events.some((event) => event.kind === 'followup' && event.payload.text === 'SAY: again'),
      'the follow-up in the timeline',
    );
  });

  it('opens a long session at its newest page and pages back to its start', async () => {
    const { store, harness } = await liveStore();
    const total = PAGE_SIZE * 2 + 150;
    const sessionId = seedSession({ home: harness.home, cwd: harness.project, title: 'long', events: total });
    await store.getState().loadSessions();
    await store.getState().selectSession(sessionId);
    const seqs = () => store.getState().transcripts[sessionId]!.events.map((event) => event.seq);
    expect(seqs()[0]).toBe(total - PAGE_SIZE + 1);
    expect(seqs().at(-1)).toBe(total);
    await store.getState().loadOlder(sessionId);
    expect(seqs()[0]).toBe(total - 2 * PAGE_SIZE + 1);
    await store.getState().loadOlder(sessionId);
    expect(seqs()).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(store.getState().transcripts[sessionId]!.loadingOlder).toBe(false);
  });

  it('shows the link offline when the core goes away', async () => {
    const { store, harness } = await liveStore();
    await harness.daemon.stop();
    await waitFor(() => store.getState().link.status === 'offline', 'the link to drop');
    expect(store.getState().link.error).toBe('Connection to the core lost; reconnecting…');
  });

  it('turns API refusals and unreachable cores into typed errors', async () => {
    const { harness } = await liveStore();
    const wrong = createApiClient({ url: harness.url, token: 'wrong' }, { io: nodeIo });
    const refused = await wrong.listSessions().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 401, code: 'unauthorized' });
    const right = createApiClient({ url: harness.url, token: harness.token }, { io: nodeIo });
    await expect(right.getSession('no-such-session')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    await harness.daemon.stop();
    await expect(right.listSessions()).rejects.toMatchObject({ code: 'network' });
  });
});
