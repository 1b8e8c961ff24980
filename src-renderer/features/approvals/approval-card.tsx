import { useState, type KeyboardEvent } from 'react';
import { actionLabel } from '../../../src-main/contract/action-words.ts';
import { grantSubject } from '../../../src-main/contract/action.ts';
import { limitWords, spentAgainst } from '../../../src-main/contract/budget-words.ts';
import { describeGrantMatcher } from '../../../src-main/contract/grant-words.ts';
import type { DecisionBody } from '../../../src-main/contract/api.ts';
import type { Approval, Session } from '../../../src-main/contract/domain.ts';
import { useAppState } from '../../store-context.tsx';
import { ActionBody } from '../session/action-body.tsx';
import { Markdown } from '../session/rich-text.tsx';
import { QuestionForm } from './question-form.tsx';
import { approvalTitle, timeoutText } from './words.ts';
import './approvals.css';

/** One button of a card: its label, its key, and what it sends. */
interface Choice {
  label: string;
  key: string;
  tone: 'allow' | 'deny' | 'plain';
  body: DecisionBody | 'reason';
}

/** The buttons a card offers, by kind, in the order they show. */
function choicesOf(approval: Approval): Choice[] {
  if (approval.kind === 'question') return [{ label: 'Dismiss', key: 'd', tone: 'deny', body: { decision: 'deny' } }];
  if (approval.kind === 'budget') {
    const next = approval.action.budget ? limitWords(approval.action.budget.next) : 'a new limit';
    return [
      { label: `Continue to ${next}`, key: 'a', tone: 'allow', body: { decision: 'allow' } },
      { label: 'Stop session', key: 'd', tone: 'deny', body: { decision: 'deny' } },
    ];
  }
  if (approval.kind === 'plan') {
    return [
      { label: 'Approve plan', key: 'a', tone: 'allow', body: { decision: 'allow' } },
      { label: 'Keep planning', key: 'd', tone: 'deny', body: { decision: 'deny' } },
      { label: 'Deny with reason', key: 'r', tone: 'plain', body: 'reason' },
    ];
  }
  return [
    { label: 'Allow', key: 'a', tone: 'allow', body: { decision: 'allow' } },
    { label: 'Deny', key: 'd', tone: 'deny', body: { decision: 'deny' } },
    ...(approval.grantOffer ? [{ label: 'Allow for this session', key: 's', tone: 'allow', body: { decision: 'allow', scope: 'session' } } as Choice] : []),
    { label: 'Deny with reason', key: 'r', tone: 'plain', body: 'reason' },
  ];
}

/** What "Allow for this session" would cover, in the words the core's grant uses. */
function grantWords(approval: Approval, session: Session | undefined): string | null {
  if (approval.kind !== 'tool') return null;
  if (approval.grantOffer === null) return 'Can only be allowed once: no standing permission covers this call.';
  return `“Allow for this session” covers ${describeGrantMatcher(grantSubject(approval.action), approval.grantOffer.exact, session?.cwd)}.`;
}

/** Keys typed in these elements are text, not shortcuts. */
function isTyping(target: EventTarget): boolean {
  return target instanceof HTMLElement && (target.tagName === 'TEXTAREA' || target.tagName === 'INPUT' || target.isContentEditable);
}

/**
 * A pending approval: what the agent wants (command, diff, plan or questions), its risk and why,
 * what a session grant would cover, and the owner's choices. With the card focused, the letters
 * on the buttons' titles decide it (a allow, d deny, s allow for this session, r deny with a
 * reason; 1–9 pick a question's option). The first answer from any surface wins; a card decided
 * elsewhere leaves when its `approval` frame arrives.
 */
export function ApprovalCard(props: { approval: Approval; session: Session | undefined; showSession?: boolean; now: number }) {
  const { approval, session } = props;
  const busy = useAppState((state) => state.deciding[approval.id] === true);
  const error = useAppState((state) => state.decisionErrors[approval.id]);
  const decide = useAppState((state) => state.decide);
  const [reasonOpen, setReasonOpen] = useState(false);
  const [reason, setReason] = useState('');
  const choices = choicesOf(approval);

  const choose = (choice: Choice): void => {
    if (busy) return;
    if (choice.body === 'reason') setReasonOpen(true);
    else void decide(approval.id, choice.body);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>): void => {
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    const choice = choices.find((c) => c.key === event.key.toLowerCase());
    if (choice) {
      event.preventDefault();
      choose(choice);
      return;
    }
    if (/^[1-9]$/.test(event.key)) {
      const option = event.currentTarget.querySelector<HTMLButtonElement>(`button[data-shortcut="${event.key}"]`);
      if (option) {
        event.preventDefault();
        option.click();
      }
    }
  };

  const titleId = `approval-${approval.id}-title`;
  const grant = grantWords(approval, session);
  return (
    <article
      className={`approval-card ${approval.kind === 'budget' ? 'kind-budget' : `risk-${approval.risk.level}`}`}
      aria-labelledby={titleId}
      data-approval-id={approval.id}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the card takes focus (a click or Tab) so that its keyboard shortcuts reach it
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <header className="approval-head">
        <strong id={titleId}>
          {approvalTitle(approval)}
          {approval.kind === 'tool' ? `: ${actionLabel(approval.action)}` : ''}
        </strong>
        {approval.kind === 'budget' ? null : <span className={`risk-badge risk-${approval.risk.level}`}>{approval.risk.level} risk</span>}
        {props.showSession && session ? (
          <span className="approval-session">
            {session.title || session.cwd} · {session.agent}
          </span>
        ) : null}
        <span className="approval-timeout">{approval.kind === 'budget' ? 'paused until you decide' : timeoutText(approval.expiresAt, props.now)}</span>
      </header>
      {approval.kind === 'plan' ? (
        <div className="approval-plan">
          <Markdown text={approval.plan ?? ''} />
        </div>
      ) : approval.kind === 'budget' && approval.action.budget ? (
        <p className="approval-budget">
          {approval.action.budget.scope === 'session' ? 'This session' : `All sessions today (${approval.action.budget.day ?? ''})`}:{' '}
          <strong>{spentAgainst(approval.action.budget.spent, approval.action.budget.limit)}</strong>. Continue with a new limit of{' '}
          {limitWords(approval.action.budget.next)}, or stop the session; nothing more is spent meanwhile.
        </p>
      ) : approval.kind === 'question' ? (
        <QuestionForm questions={approval.questions ?? []} busy={busy} onAnswer={(answers) => void decide(approval.id, { decision: 'allow', answers })} />
      ) : (
        <ActionBody action={approval.action} cwd={session?.cwd} />
      )}
      {approval.risk.reasons.length > 0 ? (
        <ul className="risk-reasons">
          {approval.risk.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
      {grant ? <p className="grant-words">{grant}</p> : null}
      <div className="approval-actions">
        {choices.map((choice) => (
          <button
            key={choice.key}
            type="button"
            className={`choice ${choice.tone}`}
            disabled={busy}
            title={`${choice.label} (${choice.key.toUpperCase()})`}
            aria-keyshortcuts={choice.key}
            onClick={() => choose(choice)}
          >
            {choice.label}
          </button>
        ))}
      </div>
      {reasonOpen ? (
        <form
          className="deny-reason"
          onSubmit={(event) => {
            event.preventDefault();
            void decide(approval.id, reason.trim() === '' ? { decision: 'deny' } : { decision: 'deny', message: reason.trim() });
          }}
        >
          <label>
            Why not? The agent is told this.
            {/* biome-ignore lint/a11y/noAutofocus: the owner just asked to write a reason */}
            <textarea value={reason} onChange={(event) => setReason(event.target.value)} rows={2} autoFocus />
          </label>
          <button type="submit" className="choice deny" disabled={busy}>
            Deny with this reason
          </button>
        </form>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </article>
  );
}
