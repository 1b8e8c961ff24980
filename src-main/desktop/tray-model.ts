import type { ApiClient } from '../client/api-client.ts';
import type { Approval, Session } from '../contract/domain.ts';
import type { TrayMenuItem } from './tray.ts';
import { deriveTrayStatus, type TrayStatus } from './tray-status.ts';

/** A session's latest reminder that it still waits for the owner (its event's seq and detail). */
export interface WaitingReminder {
  sessionId: string;
  seq: number;
  detail: string;
}

/** What the tray knows of the core: every session and the pending approvals (the status feed keeps it). */
export interface CoreView {
  sessions: readonly Session[];
  approvals: readonly Approval[];
  /** The latest reminder of each session that still waits for the owner (the core's reaper sends them). */
  reminders?: readonly WaitingReminder[];
}

/** An empty view, before the status feed's first snapshot. */
export const EMPTY_VIEW: CoreView = { sessions: [], approvals: [] };

/** What the tray's menu entries do; decisions go through the shared API client (see {@link createTrayDecisions}). */
export interface TrayActions {
  open(): void;
  quit(): void;
  allow(approvalId: string): void;
  deny(approvalId: string): void;
  denyAll(): void;
  pause(): void;
}

/** The icon state with its counts, and the context menu for it. */
export interface TrayModel {
  status: TrayStatus;
  menu: TrayMenuItem[];
}

const LABEL_MAX = 60;

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > LABEL_MAX ? `${line.slice(0, LABEL_MAX - 1)}…` : line;
}

/** "Bash: rm -rf build": the tool and its first text argument, on one short line. */
function approvalLabel(approval: Approval): string {
  if (approval.kind === 'budget') return clip(approval.action.title);
  const detail = Object.values(approval.input).find((value): value is string => typeof value === 'string');
  return clip(detail ? `${approval.tool}: ${detail}` : approval.tool);
}

/** Sessions "Pause" puts on standby: those an agent is working in, not already on standby. */
function pausable(sessions: readonly Session[]): Session[] {
  return sessions.filter((session) => session.mode !== 'standby' && ['starting', 'running', 'stalled', 'waiting'].includes(session.state));
}

/**
 * The tray for a view: the icon state (idle / running / waiting for you) with its counts, and the menu:
 * each session, each pending approval with Allow and Deny, "Deny all pending", "Pause", "Open Reins", "Quit".
 */
export function buildTrayModel(view: CoreView, actions: TrayActions): TrayModel {
  const pending = view.approvals.filter((approval) => approval.status === 'pending');
  const menu: TrayMenuItem[] = [{ label: 'Open Reins', click: actions.open }, { type: 'separator' }];
  for (const session of view.sessions) {
    menu.push({ id: `session:${session.id}`, label: clip(`${session.title || session.id} (${session.agent}, ${session.state})`), click: actions.open });
  }
  if (view.sessions.length === 0) menu.push({ label: 'No sessions', enabled: false });
  menu.push({ type: 'separator' });
  for (const approval of pending) {
    menu.push({
      id: `approval:${approval.id}`,
      label: approvalLabel(approval),
      submenu: [
        { label: approval.kind === 'budget' ? 'Continue (new limit)' : 'Allow', click: () => actions.allow(approval.id) },
        { label: approval.kind === 'budget' ? 'Stop session' : 'Deny', click: () => actions.deny(approval.id) },
      ],
    });
  }
  if (pending.length === 0) menu.push({ label: 'No pending approvals', enabled: false });
  menu.push(
    { label: 'Deny all pending', enabled: pending.length > 0, click: actions.denyAll },
    { label: 'Pause (standby)', enabled: pausable(view.sessions).length > 0, click: actions.pause },
    { type: 'separator' },
    { label: 'Quit Reins', click: actions.quit },
  );
  return { status: deriveTrayStatus(view.sessions, pending), menu };
}

/**
 * The tray's decisions, made through the shared API client (surface `tray`, so the audit says where they
 * came from). `view` is read when an entry is clicked; failures (already decided, core gone) go to `onError`.
 */
export function createTrayDecisions(
  client: Pick<ApiClient, 'decide' | 'setMode'>,
  view: () => CoreView,
  onError: (error: Error) => void,
): Pick<TrayActions, 'allow' | 'deny' | 'denyAll' | 'pause'> & { settled(): Promise<void> } {
  let inFlight: Promise<unknown> = Promise.resolve();
  const run = (work: () => Promise<unknown>): void => {
    const next = work().catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error))));
    inFlight = Promise.all([inFlight, next]);
  };
  const deny = (id: string) => client.decide(id, { decision: 'deny', message: 'Denied from the Reins tray.' });
  return {
    allow: (id) => run(() => client.decide(id, { decision: 'allow' })),
    deny: (id) => run(() => deny(id)),
    denyAll: () => {
      for (const approval of view().approvals) if (approval.status === 'pending') run(() => deny(approval.id));
    },
    pause: () => {
      for (const session of pausable(view().sessions)) run(() => client.setMode(session.id, 'standby'));
    },
    /** Resolves when every decision asked so far has been answered (or has failed). */
    settled: async () => {
      await inFlight;
    },
  };
}
