import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src-main/contract/domain.ts';
import { watchCoreStatus, type StatusFeed } from '../../src-main/desktop/status-feed.ts';
import { deriveTrayStatus, type TrayStatus } from '../../src-main/desktop/tray-status.ts';
import { startHarness, type Harness } from '../helpers/core-harness.ts';
import { manualClock, manualTimers } from '../helpers/manual-clock.ts';
import { waitFor } from '../helpers/wait-for.ts';
import type { CoreView } from '../../src-main/desktop/tray-model.ts';
import { createApiClient } from '../../src-main/client/api-client.ts';

// The tray's view of a real core: the real `claude` CLI (against the fake Anthropic API) asks to run a
// risky command, the tray turns to "waiting", and back once the owner has answered.

let h: Harness | null = null;
let feed: StatusFeed | null = null;
afterEach(async () => {
  await feed?.stop();
  feed = null;
  await h?.close();
  h = null;
});

function watch(harness: Harness, statuses: TrayStatus[], errors: Error[] = [], views: CoreView[] = []): StatusFeed {
  return watchCoreStatus({
    client: createApiClient(
      { url: harness.url, token: harness.token },
      { surface: 'tray', io: { fetch, openSocket: (url, protocols) => new WebSocket(url, protocols) } },
    ),
    sleep: (ms, signal) => sleep(ms, undefined, { signal }),
    onView: (view) => {
      views.push(view);
      statuses.push(deriveTrayStatus(view.sessions, view.approvals));
    },
    onError: (error) => errors.push(error),
  });
}

describe('watchCoreStatus', () => {
  it('starts idle, turns waiting on a pending approval, and settles once it is decided', async () => {
    h = await startHarness();
    const statuses: TrayStatus[] = [];
    const errors: Error[] = [];
    feed = watch(h, statuses, errors);
    await waitFor(() => statuses.length > 0, 'the first status');
    expect(statuses[0]).toEqual({ state: 'idle', activeSessions: 0, pendingApprovals: 0 });

    const { session } = await h.api.post<{ session: Session }>('/sessions', {
      agent: 'claude',
      cwd: h.project,
      prompt: 'RUN: rm -rf build',
      mode: 'ask',
    });
    await waitFor(() => statuses.some((s) => s.state === 'waiting' && s.pendingApprovals === 1), 'a waiting tray');
    const approval = await h.api.waitApproval(session.id);
    await h.api.post(`/approvals/${approval.id}/decision`, { decision: 'deny', message: 'not now' });
    await h.api.waitTurnEnd(session.id);
    await waitFor(() => {
      const last = statuses.at(-1);
      return last?.pendingApprovals === 0 && last.state !== 'waiting';
    }, 'the tray to leave waiting');
    expect(errors).toEqual([]);
  });

  it("carries the core's reminder that a session still waits for the owner", async () => {
    const clock = manualClock(Date.now());
    h = await startHarness({ approvalTimeoutSeconds: 86_400, reaper: { idleMinutes: 60, archiveAfterDays: 0 } }, { clock, timers: manualTimers(clock) });
    const views: CoreView[] = [];
    feed = watch(h, [], [], views);
    const { session } = await h.api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: h.project, prompt: 'RUN: rm -rf build' });
    await h.api.waitApproval(session.id);
    await waitFor(() => views.some((v) => v.approvals.length === 1), 'the approval in the view');
    await clock.advance(60 * 60_000);
    const reminded = await waitFor(() => views.at(-1)?.reminders?.[0], 'the reminder in the view');
    expect(reminded).toMatchObject({ sessionId: session.id, detail: 'still waiting for you: an approval, for 60 min' });
  });

  it('stops promptly, closing its socket', async () => {
    h = await startHarness();
    const statuses: TrayStatus[] = [];
    feed = watch(h, statuses);
    await waitFor(() => statuses.length > 0, 'the first status');
    const started = Date.now();
    await feed.stop();
    feed = null;
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('reports an API that refuses it and keeps retrying without publishing', async () => {
    h = await startHarness();
    const statuses: TrayStatus[] = [];
    let attempts = 0;
    feed = watchCoreStatus({
      client: createApiClient(
        { url: h.url, token: 'wrong-token' },
        {
          surface: 'tray',
          io: {
            fetch,
            openSocket: (url, protocols) => {
              attempts += 1;
              return new WebSocket(url, protocols);
            },
          },
        },
      ),
      sleep: (_ms, signal) => sleep(10, undefined, { signal }),
      onView: (view) => statuses.push(deriveTrayStatus(view.sessions, view.approvals)),
      onError: () => {},
    });
    await waitFor(() => attempts >= 3, 'three connection attempts');
    expect(statuses).toEqual([]);
  });
});
