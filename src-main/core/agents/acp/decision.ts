/**
 * Reins' agent-neutral decision as an ACP permission outcome. Always for this call only: never an
 * `allow_always` or `reject_always` option, which would let the agent skip Reins for later calls
 * (Reins' own grants decide those, exactly and audited).
 */
import type { AgentDecision } from '../runner.ts';

export interface AcpPermissionOption {
  optionId: string;
  kind: string;
}

export type AcpOutcome = { outcome: 'cancelled' } | { outcome: 'selected'; optionId: string };

/** The agent's answer needs "cancelled" when the turn is being cancelled (ACP, prompt-turn cancellation). */
export const CANCELLED: AcpOutcome = { outcome: 'cancelled' };

/**
 * allow → the agent's `allow_once` option; deny → its `reject_once` option. An agent that offers
 * no such option gets `cancelled`: the call does not run, and Reins never picks an option that
 * would last beyond this call. ACP has no field for the owner's deny message, so it is not passed on.
 */
export function permissionOutcome(decision: AgentDecision, options: readonly AcpPermissionOption[]): AcpOutcome {
  const kind = decision.decision === 'allow' ? 'allow_once' : 'reject_once';
  const option = options.find((o) => o.kind === kind);
  return option ? { outcome: 'selected', optionId: option.optionId } : CANCELLED;
}
