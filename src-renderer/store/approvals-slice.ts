import type { DecisionBody } from '../../src-main/contract/api.ts';
import type { Approval } from '../../src-main/contract/domain.ts';
import { ApiError } from '../../src-main/client/api-client.ts';
import type { SliceContext } from './app-state.ts';

/** Pending approvals and the state of the owner's answers to them. */
export interface ApprovalsSlice {
  pendingApprovals: Record<string, Approval>;
  /** Approvals whose decision is in flight (buttons disabled). */
  deciding: Record<string, true>;
  /** Why a decision failed, per approval (shown next to its buttons). */
  decisionErrors: Record<string, string>;
  loadApprovals(): Promise<void>;
  /** An `approval` frame or API answer: pending ones are shown, decided ones leave. */
  applyApproval(approval: Approval): void;
  /** Answers an approval (allow or deny, a grant scope, a deny reason, a question's answers). */
  decide(approvalId: string, body: DecisionBody): Promise<void>;
}

/** Pending approvals, oldest first: the one that has waited longest is answered first. */
export function sortApprovals(pending: Record<string, Approval>): Approval[] {
  return Object.values(pending).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _removed, ...rest } = record;
  return rest;
}

/** Creates the approvals slice. */
export function createApprovalsSlice({ set, get, api }: SliceContext): ApprovalsSlice {
  return {
    pendingApprovals: {},
    deciding: {},
    decisionErrors: {},

    async loadApprovals() {
      const { approvals } = await api.pendingApprovals();
      set({ pendingApprovals: Object.fromEntries(approvals.map((approval) => [approval.id, approval])) });
    },

    applyApproval(approval) {
      set((state) =>
        approval.status === 'pending'
          ? { pendingApprovals: { ...state.pendingApprovals, [approval.id]: approval } }
          : { pendingApprovals: without(state.pendingApprovals, approval.id) },
      );
    },

    async decide(approvalId, body) {
      if (get().deciding[approvalId]) return;
      set((state) => ({
        deciding: { ...state.deciding, [approvalId]: true },
        decisionErrors: without(state.decisionErrors, approvalId),
      }));
      try {
        const { approval } = await api.decide(approvalId, body);
        get().applyApproval(approval);
      } catch (error) {
        // Another surface (Telegram, CLI, timeout) got there first: the card just goes.
        if (error instanceof ApiError && (error.code === 'already_decided' || error.code === 'not_found')) {
          set((state) => ({ pendingApprovals: without(state.pendingApprovals, approvalId) }));
        } else {
          const message = error instanceof Error ? error.message : String(error);
          set((state) => ({ decisionErrors: { ...state.decisionErrors, [approvalId]: message } }));
        }
      } finally {
        set((state) => ({ deciding: without(state.deciding, approvalId) }));
      }
    },
  };
}
