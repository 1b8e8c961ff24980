/**
 * Approvals in the window's words: where a decision came from and how it ended, the same sentences
 * on the inline card, the "Needs you" list and the transcript.
 */
import type { Approval, ApprovalKind, ApprovalStatus, Surface } from '../../../src-main/contract/domain.ts';

const SURFACE_WORDS: Readonly<Record<Surface, string>> = {
  api: 'the API',
  cli: 'the CLI',
  telegram: 'the phone',
  desktop: 'the desktop',
  tray: 'the tray',
  notification: 'a notification',
  policy: 'policy',
  timeout: 'timeout',
  core: 'Reins',
  schedule: 'a schedule',
  webhook: 'a webhook',
};

/** Where a message or decision came from, as a short tag ("phone", "desktop", "CLI"). */
export function surfaceTag(surface: Surface): string {
  return surface === 'telegram' ? 'phone' : surface === 'cli' ? 'CLI' : surface === 'api' ? 'API' : surface;
}

/**
 * "Allowed from the phone for this session", "Denied from the desktop", "Expired: timed out after
 * 5 min"; a plan is approved or kept in planning, a question answered or dismissed.
 */
export function outcomeText(kind: ApprovalKind, status: ApprovalStatus, surface: Surface | null, reason: string | null): string {
  const from = surface === null ? '' : surface === 'policy' ? ' by policy' : surface === 'timeout' ? '' : ` from ${SURFACE_WORDS[surface]}`;
  const scope = /for this (session|project)/.exec(reason ?? '')?.[0];
  switch (status) {
    case 'allowed':
      if (kind === 'budget') return `Continued${from}`;
      return kind === 'plan' ? `Plan approved${from}` : kind === 'question' ? `Answered${from}` : `Allowed${from}${scope ? ` ${scope}` : ''}`;
    case 'denied':
      if (kind === 'budget') return `Stopped at the budget${from}`;
      return kind === 'plan' ? `Kept planning${from}` : kind === 'question' ? `Dismissed${from}` : `Denied${from}`;
    case 'expired':
      return `Expired: ${reason ?? 'timed out'}`;
    case 'cancelled':
      return `Cancelled: ${reason ?? 'withdrawn'}`;
    case 'pending':
      return 'Waiting for you';
  }
}

/** The card's title by kind. */
export function approvalTitle(approval: Pick<Approval, 'kind'>): string {
  if (approval.kind === 'budget') return 'Budget reached';
  return approval.kind === 'plan' ? 'Plan approval' : approval.kind === 'question' ? 'Question' : 'Approval needed';
}

/** "times out in 4 min" (at least a minute, so the words never say zero). */
export function timeoutText(expiresAt: number, now: number): string {
  return `times out in ${Math.max(1, Math.round((expiresAt - now) / 60_000))} min`;
}
