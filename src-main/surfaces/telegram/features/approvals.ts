/**
 * What a verified tap on an approval button does: allow, deny, allow for this session, deny with
 * a reason (the owner's next text), or pick an answer of a question. Always answered with a
 * toast; the card itself is repainted by the approval frame that the decision publishes.
 */
import type { Approval, DecisionBody } from '../../../contract/index.ts';
import { actionLabel, actionSubject } from '../../../contract/index.ts';
import { AlreadyDecidedError, ReinsError } from '../../../core/errors.ts';
import { escapeHtml, redactThenShorten } from '../format/index.ts';
import { optionAt } from '../views/approval-card.ts';
import { actorOf, ButtonKept, fire, type FeatureDeps, type Tap } from './deps.ts';

/**
 * A tap's decision failed (not because someone decided first) while the approval still waits.
 * The caller makes the button usable again; the message is the toast.
 */
export class DecisionNotRecordedError extends Error {
  override readonly name = 'DecisionNotRecordedError';
  readonly approvalId: string;
  constructor(approvalId: string, cause: unknown) {
    // Only the core's own errors are meant for the owner; anything else is told in general terms.
    super(`⚠️ Not recorded: ${cause instanceof ReinsError ? cause.message.replace(/\.$/, '') : 'Reins could not save the decision'}. Tap the button again.`, {
      cause,
    });
    this.approvalId = approvalId;
  }
}

/**
 * Handles a tap on a button of approval `a`; returns the toast text. Throws
 * {@link DecisionNotRecordedError} when the decision failed and the approval still waits, and
 * {@link ButtonKept} when the tap waits for the passcode or is refused while locked.
 */
export function approvalTap(deps: FeatureDeps, tap: Tap, a: Approval): string {
  if (a.status !== 'pending') {
    deps.cards.tapped(a, tap.place.chatId, tap.messageId);
    return alreadyDecided(a);
  }
  const decide = (body: DecisionBody, toast: string): string => {
    try {
      deps.core.approvals.decide(a.id, body, actorOf(tap.userId));
      return toast;
    } catch (err) {
      if (err instanceof AlreadyDecidedError) {
        const now = deps.core.approvals.get(a.id);
        deps.cards.tapped(now, tap.place.chatId, tap.messageId);
        return alreadyDecided(now);
      }
      // Nothing was decided and the approval still waits: the button stays usable for a retry.
      if (deps.core.approvals.get(a.id).status === 'pending') throw new DecisionNotRecordedError(a.id, err);
      if (err instanceof ReinsError) return err.message;
      throw err;
    }
  };
  /**
   * Allowing a critical call, and any allow that creates a grant, waits for the passcode when one
   * is set (nothing is decided by this tap). Denying never does: refusing is always safe.
   */
  const passcode = (scope: 'once' | 'session' | 'project'): void => {
    if (scope === 'once' && a.risk.level !== 'critical') return;
    const forScope = scope === 'once' ? '' : ` for this ${scope}`;
    const asked = deps.passcode.guard({
      place: tap.place,
      userId: tap.userId,
      target: { kind: 'approval', approvalId: a.id, scope },
      what: `allow ${actionLabel(a.action)}${forScope} (approval ${a.handle}, ${a.risk.level} risk)`,
      whatHtml: `allow <b>${escapeHtml(actionLabel(a.action))}</b> <code>${escapeHtml(redactThenShorten(deps.redactor(), actionSubject(a.action), 80))}</code>${forScope}`,
      sessionId: a.sessionId,
      replyTo: tap.messageId,
    });
    if (asked !== null) throw new ButtonKept(asked);
  };
  const action = tap.action;
  switch (action) {
    case 'allow': {
      if (a.kind !== 'question') {
        passcode('once');
        return decide({ decision: 'allow' }, a.kind === 'plan' ? '✅ Plan approved' : a.kind === 'budget' ? '▶️ Continuing' : '✅ Allowed');
      }
      const answers = deps.state.answers.get(a.id) ?? {};
      if ((a.questions ?? []).some((q) => !answers[q.question])) {
        deps.cards.refresh(a);
        return 'Pick an answer for every question first.';
      }
      return decide({ decision: 'allow', answers }, '📨 Answer sent');
    }
    case 'allow_session':
      passcode('session');
      return decide({ decision: 'allow', scope: 'session' }, '✅ Allowed for this session');
    case 'allow_project':
      passcode('project');
      return decide({ decision: 'allow', scope: 'project' }, '✅ Allowed for this project');
    case 'deny':
      return decide({ decision: 'deny' }, a.kind === 'question' ? 'Dismissed' : a.kind === 'budget' ? '⏹ Stopping the session' : '❌ Denied');
    case 'deny_reason': {
      deps.state.setPrompt({
        kind: 'deny_reason',
        approvalId: a.id,
        place: tap.place,
        expiresAt: Math.min(a.expiresAt, deps.clock.now() + deps.tuning.promptTtlMs),
      });
      fire(
        deps,
        'approval.reason_prompt',
        deps.writer.send(tap.place, `✍️ Send the reason for denying <b>${escapeHtml(actionLabel(a.action))}</b> as your next message; the agent will read it.`, {
          ...(tap.messageId !== null ? { replyTo: tap.messageId } : {}),
        }),
      );
      return 'Send the reason as your next message.';
    }
    case 'stop':
    case 'cancel_followup':
      return 'This button does not belong to an approval.';
    default:
      return answerTap(deps, tap, a, Number(action.slice('answer:'.length)), decide);
  }
}

function answerTap(deps: FeatureDeps, _tap: Tap, a: Approval, index: number, decide: (body: DecisionBody, toast: string) => string): string {
  const picked = optionAt(a, index);
  if (a.kind !== 'question' || picked === null) return 'That option does not exist.';
  const answers = { ...(deps.state.answers.get(a.id) ?? {}) };
  const { question, label } = picked;
  if (question.multiSelect) {
    const chosen = new Set((answers[question.question] ?? '').split(', ').filter(Boolean));
    if (chosen.has(label)) chosen.delete(label);
    else chosen.add(label);
    answers[question.question] = [...chosen].join(', ');
  } else {
    answers[question.question] = label;
  }
  deps.state.answers.put(a.id, answers);
  const questions = a.questions ?? [];
  const complete = questions.every((q) => answers[q.question]);
  if (complete && !questions.some((q) => q.multiSelect)) return decide({ decision: 'allow', answers }, `📨 ${label}`);
  deps.cards.refresh(a);
  return `☑️ ${label}`;
}

/** The toast for a tap on an approval someone (or something) already decided. */
export function alreadyDecided(a: Approval): string {
  switch (a.status) {
    case 'expired':
      return '⌛ Expired: this request timed out and was denied.';
    case 'cancelled':
      return `🚫 Cancelled: ${a.reason ?? 'withdrawn'}.`;
    default:
      return `Already ${a.status}${a.surface ? ` via ${a.surface}` : ''}.`;
  }
}
