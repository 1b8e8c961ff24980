import { useShallow } from 'zustand/react/shallow';
import { sortApprovals } from '../../store/index.ts';
import { useAppState } from '../../store-context.tsx';
import { ApprovalCard } from './approval-card.tsx';
import { useNow } from './use-now.ts';

/**
 * "Needs you": every pending approval across all sessions, oldest first (the one that has waited
 * longest is answered first). A card decided on any surface leaves live.
 */
export function NeedsYou() {
  const approvals = useAppState(useShallow((state) => sortApprovals(state.pendingApprovals)));
  const sessions = useAppState((state) => state.sessions);
  const now = useNow();
  return (
    <section className="needs-you" aria-labelledby="needs-you-title">
      <h2 id="needs-you-title">Needs you{approvals.length > 0 ? <span className="count">{approvals.length}</span> : null}</h2>
      {approvals.length === 0 ? (
        <p className="muted">Nothing waits for you. Approvals from every session show up here.</p>
      ) : (
        <ul className="approval-list">
          {approvals.map((approval) => (
            <li key={approval.id}>
              <ApprovalCard approval={approval} session={sessions[approval.sessionId]} showSession now={now} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
