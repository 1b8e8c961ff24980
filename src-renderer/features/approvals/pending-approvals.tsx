import { useShallow } from 'zustand/react/shallow';
import { sortApprovals } from '../../store/index.ts';
import { useAppState } from '../../store-context.tsx';
import { actionLabel } from '../../../src-main/contract/action-words.ts';
import { describeAction } from '../timeline/event-summary.ts';

/** Every pending approval, oldest first, with Allow / Deny. The first answer from any surface wins. */
export function PendingApprovals() {
  const approvals = useAppState(useShallow((state) => sortApprovals(state.pendingApprovals)));
  const deciding = useAppState((state) => state.deciding);
  const errors = useAppState((state) => state.decisionErrors);
  const sessions = useAppState((state) => state.sessions);
  const decide = useAppState((state) => state.decide);
  if (approvals.length === 0) return null;
  return (
    <section className="approvals" aria-label="Pending approvals">
      <h2>
        {approvals.length} pending approval{approvals.length === 1 ? '' : 's'}
      </h2>
      <ul>
        {approvals.map((approval) => {
          const session = sessions[approval.sessionId];
          const busy = deciding[approval.id] === true;
          return (
            <li key={approval.id} className={`approval risk-${approval.risk.level}`} data-approval-id={approval.id}>
              <div className="approval-head">
                <strong>{actionLabel(approval.action)}</strong>
                <span className="risk">risk {approval.risk.level}</span>
                {session ? <span className="approval-session">{session.title || session.cwd}</span> : null}
              </div>
              <code className="approval-input">{approval.plan ?? describeAction(approval.action)}</code>
              {approval.risk.reasons.length > 0 ? (
                <ul className="risk-reasons">
                  {approval.risk.reasons.map((reason) => (
                    <li key={reason}>{reason}</li>
                  ))}
                </ul>
              ) : null}
              <div className="approval-actions">
                <button type="button" className="allow" disabled={busy} onClick={() => void decide(approval.id, 'allow')}>
                  Allow
                </button>
                <button type="button" className="deny" disabled={busy} onClick={() => void decide(approval.id, 'deny')}>
                  Deny
                </button>
              </div>
              {errors[approval.id] ? (
                <p className="error" role="alert">
                  {errors[approval.id]}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
