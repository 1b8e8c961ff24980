import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src-main/client/api-client.ts';
import type { Approval, Session } from '../../src-main/contract/domain.ts';
import { watchCoreStatus, type StatusFeed } from '../../src-main/desktop/status-feed.ts';
import { buildTrayModel, createTrayDecisions, EMPTY_VIEW, type CoreView, type TrayModel } from '../../src-main/desktop/tray-model.ts';
import type { TrayMenuItem } from '../../src-main/desktop/tray.ts';
import { silentLogger } from '../../src-main/core/index.ts';
import { runDesktop } from '../../src-main/desktop/lifecycle.ts';
import { createFakeElectron, FakeNotification } from '../fakes/electron.ts';
import { startHarness, type Harness } from '../helpers/core-harness.ts';
import { waitFor } from '../helpers/wait-for.ts';

// The tray's menu on a real core: the real `claude` CLI (against the fake Anthropic API) asks to run
// `rm -rf build`; the menu lists the approval, and its entries decide it through the API.

let h: Harness | null = null;
let feed: StatusFeed | null = null;
afterEach(async () => {
  await feed?.stop();
  feed = null;
  await h?.close();
  h = null;
});

interface Tray {
  model(): TrayModel;
  decisions: ReturnType<typeof createTrayDecisions>;
  errors: Error[];
}

function watchTray(harness: Harness): Tray {
  const client = createApiClient(
    { url: harness.url, token: harness.token },
    { surface: 'tray', io: { fetch, openSocket: (url, protocols) => new WebSocket(url, protocols) } },
  );
  let view: CoreView = EMPTY_VIEW;
  const errors: Error[] = [];
  const decisions = createTrayDecisions(
    client,
    () => view,
    (error) => errors.push(error),
  );
  const actions = { ...decisions, open: () => {}, quit: () => {} };
  feed = watchCoreStatus({
    client,
    sleep: (ms, signal) => sleep(ms, undefined, { signal }),
    onView: (next) => {
      view = next;
    },
    onError: (error) => errors.push(error),
  });
  return { model: () => buildTrayModel(view, actions), decisions, errors };
}

async function askToDelete(harness: Harness): Promise<Session> {
  const { session } = await harness.api.post<{ session: Session }>('/sessions', {
    agent: 'claude',
    cwd: harness.project,
    prompt: 'RUN: rm -rf build',
    mode: 'ask',
  });
  return session;
}

const entry = (model: TrayModel, approvalId: string): TrayMenuItem | undefined => model.menu.find((item) => item.id === `approval:${approvalId}`);
const decided = async (harness: Harness, approvalId: string) => (await harness.api.get<{ approval: Approval }>(`/approvals/${approvalId}`)).approval;

describe('tray menu on a real core', () => {
  it('follows a pending approval and allows it from its entry', async () => {
    h = await startHarness();
    const tray = watchTray(h);
    const session = await askToDelete(h);
    const approval = await h.api.waitApproval(session.id);
    await waitFor(() => entry(tray.model(), approval.id) !== undefined, 'the approval in the tray menu');
    expect(tray.model().status).toMatchObject({ state: 'waiting', pendingApprovals: 1 });
    expect(entry(tray.model(), approval.id)?.label).toBe('Bash: rm -rf build');

    entry(tray.model(), approval.id)
      ?.submenu?.find((item) => item.label === 'Allow')
      ?.click?.();
    await tray.decisions.settled();
    expect(await decided(h, approval.id)).toMatchObject({ status: 'allowed', surface: 'tray' });
    await waitFor(() => tray.model().status.pendingApprovals === 0, 'the tray to drop the decided approval');
    expect(tray.errors).toEqual([]);
  });

  it('denies one from its entry, and all pending with "Deny all pending"', async () => {
    h = await startHarness();
    const tray = watchTray(h);
    const first = await h.api.waitApproval((await askToDelete(h)).id);
    await waitFor(() => entry(tray.model(), first.id) !== undefined, 'the first approval in the tray menu');
    entry(tray.model(), first.id)
      ?.submenu?.find((item) => item.label === 'Deny')
      ?.click?.();
    await tray.decisions.settled();
    expect(await decided(h, first.id)).toMatchObject({ status: 'denied', surface: 'tray' });

    const second = await h.api.waitApproval((await askToDelete(h)).id);
    const third = await h.api.waitApproval((await askToDelete(h)).id);
    await waitFor(() => tray.model().status.pendingApprovals === 2, 'two approvals in the tray');
    tray
      .model()
      .menu.find((item) => item.label === 'Deny all pending')
      ?.click?.();
    await tray.decisions.settled();
    expect((await decided(h, second.id)).status).toBe('denied');
    expect((await decided(h, third.id)).status).toBe('denied');
    await waitFor(() => tray.model().status.pendingApprovals === 0, 'the tray to empty');
    expect(tray.errors).toEqual([]);
  });

  it('puts every working session on standby with "Pause"', async () => {
    h = await startHarness();
    const tray = watchTray(h);
    const session = await askToDelete(h);
    await h.api.waitApproval(session.id);
    await waitFor(() => tray.model().menu.find((item) => item.label === 'Pause (standby)')?.enabled === true, 'Pause to be offered');
    tray
      .model()
      .menu.find((item) => item.label === 'Pause (standby)')
      ?.click?.();
    await tray.decisions.settled();
    expect((await h.api.get<{ session: Session }>(`/sessions/${session.id}`)).session.mode).toBe('standby');
    await waitFor(() => tray.model().menu.find((item) => item.label === 'Pause (standby)')?.enabled === false, 'Pause to be spent');
    expect(tray.errors).toEqual([]);
  });
});

describe('notification buttons on a real core', () => {
  it('allow the approval from its macOS notification, recorded as surface notification', async () => {
    const harness = await startHarness();
    h = harness;
    const electron = createFakeElectron();
    electron.app.becomeReady();
    const clientAs = (surface: 'tray' | 'notification') =>
      createApiClient({ url: harness.url, token: harness.token }, { surface, io: { fetch, openSocket: (url, protocols) => new WebSocket(url, protocols) } });
    await runDesktop(electron, {
      connect: async () => ({ url: harness.url, token: harness.token, owned: false, stop: async () => {} }),
      watchStatus: (_link, onView) => {
        feed = watchCoreStatus({ client: clientAs('tray'), sleep: (ms, signal) => sleep(ms, undefined, { signal }), onView, onError: () => {} });
        return feed;
      },
      api: (_link, surface) => clientAs(surface),
      platform: 'darwin',
      preloadPath: '/app/out/preload/index.cjs',
      trayIconDir: '/app/assets/tray',
      launchAtLogin: { get: async () => false, set: async () => {} },
      showWindowOnStart: false,
      onFatal: (error) => {
        throw error;
      },
      log: silentLogger,
    });
    const approval = await harness.api.waitApproval((await askToDelete(harness)).id);
    await waitFor(() => FakeNotification.shown.length === 1, 'the approval notification');
    const notification = FakeNotification.shown[0]!;
    expect(notification).toMatchObject({ title: 'Approval needed: Bash', actions: ['Allow', 'Deny'] });

    notification.emit('action', {}, 0);
    await waitFor(async () => (await decided(harness, approval.id)).status !== 'pending', 'the notification decision');
    expect(await decided(harness, approval.id)).toMatchObject({ status: 'allowed', surface: 'notification' });
  });
});
