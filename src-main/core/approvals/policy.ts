/**
 * Policy: what Reins decides on its own before asking the owner. Pure; the approval service
 * records whatever it returns.
 *
 * - A call that reaches Reins itself (its data directory, runtime file, keychain entries or API
 *   port; risk tag `reins`) is denied in every mode: an agent holding the API token could approve
 *   its own requests.
 * - `question` (the agent asks the owner): always the owner's, in `ask` and `auto`; denied in `standby`.
 * - `plan` (the agent's plan for review): asks in `ask`, allowed in `auto`, denied in `standby`.
 * - `tool`: a harmless call (risk `low`, nothing found) runs in every mode. Everything else is risky:
 *   allowed in `auto`, denied in `standby`, and in `ask` allowed by the first matching grant or
 *   asked. No grant covers a `critical` call, secrets or Reins itself.
 */
import type { ApprovalKind, Grant, Risk, SessionMode, ToolAction } from '../../contract/index.ts';
import { describeGrantMatcher } from '../../contract/index.ts';
import { ungrantable } from './grant-offer.ts';
import { grantMatches } from './grant-match.ts';
import type { PathProbe } from './paths.ts';

/** Actions that only read; the agent asking about one of them is not a finding by itself. */
export function readOnlyAction(action: Pick<ToolAction, 'kind' | 'internal'>): boolean {
  return action.kind === 'read' || action.kind === 'search' || (action.kind === 'other' && action.internal === true);
}

/** Everything policy needs about one request. */
export interface PolicyRequest {
  mode: SessionMode;
  kind: ApprovalKind;
  action: ToolAction;
  /** The request's risk, already raised by classifyToolCall. */
  risk: Risk;
  /** Grants that may apply (policy re-checks each one). */
  grants: readonly Grant[];
  sessionId: string;
  projectId: string;
  projectDir: string;
  /** The owner's home directory (`~` in paths). */
  homeDir: string;
  now: number;
  /** Follows symlinks for path grants; pass `fsPathProbe` in production. */
  probe?: PathProbe;
}

/** What policy decided. `message` is what the agent is told on deny; `ask` goes to the owner. */
export type PolicyVerdict =
  | { action: 'allow'; reason: string; grantId?: string }
  | { action: 'deny'; reason: string; message: string }
  | { action: 'ask'; reason: string };

/** Text the agent receives when standby mode denies a tool call. */
export const STANDBY_TOOL_MESSAGE = 'The owner is away (standby mode): this call was denied. Continue without it, or stop if you cannot.';
/** Text the agent receives when standby mode denies a question. */
export const STANDBY_QUESTION_MESSAGE =
  'The owner is away (standby mode) and cannot answer questions. Proceed with your best judgement, or stop if you cannot.';
/** Text the agent receives when standby mode denies a plan. */
export const STANDBY_PLAN_MESSAGE =
  'The owner is away (standby mode) and cannot review this plan, so it was not approved. Stop here, or keep planning without making changes.';

/** Text the agent receives when a call reaches Reins itself. */
export function reinsDenyMessage(risk: Risk): string {
  const why = risk.reasons.join('; ');
  return (
    `Reins: this call reaches Reins itself${why ? ` (${why})` : ''}. Agents may not read or change Reins' ` +
    'data, its API token, its keychain entries or its API, in any mode, so it was denied. Continue without it.'
  );
}

function describeGrant(grant: Grant, projectDir: string): string {
  return `grant ${grant.id} (${grant.scope}: ${describeGrantMatcher(grant.tool, grant.matcher, projectDir)})`;
}

function askReason(risk: Risk): string {
  const why = risk.reasons.length > 0 ? `: ${risk.reasons.join('; ')}` : '';
  return `${risk.level} risk needs the owner's decision${why}`;
}

function decideTool(req: PolicyRequest): PolicyVerdict {
  if (req.risk.level === 'low' && req.risk.tags.length === 0) return { action: 'allow', reason: 'harmless: reads inside the project, nothing risky found' };
  if (req.mode === 'auto') return { action: 'allow', reason: 'auto mode' };
  if (req.mode === 'standby') return { action: 'deny', reason: 'standby mode', message: STANDBY_TOOL_MESSAGE };
  if (ungrantable(req.risk)) {
    const what = req.risk.tags.includes('secrets') ? 'it touches secrets' : 'it is critical';
    return { action: 'ask', reason: `${askReason(req.risk)} (no grant covers a call when ${what})` };
  }
  const call = { action: req.action, sessionId: req.sessionId, projectId: req.projectId };
  const ctx = { projectDir: req.projectDir, homeDir: req.homeDir, ...(req.probe ? { probe: req.probe } : {}) };
  for (const grant of req.grants) {
    if (grantMatches(grant, call, req.now, ctx)) return { action: 'allow', reason: `allowed by ${describeGrant(grant, req.projectDir)}`, grantId: grant.id };
  }
  return { action: 'ask', reason: askReason(req.risk) };
}

/** Decides a request: allow or deny on policy's own authority, or ask the owner. */
export function decidePolicy(req: PolicyRequest): PolicyVerdict {
  if (req.risk.tags.includes('reins')) return { action: 'deny', reason: 'reaches Reins itself', message: reinsDenyMessage(req.risk) };
  switch (req.kind) {
    case 'question':
      if (req.mode === 'standby') return { action: 'deny', reason: 'standby mode', message: STANDBY_QUESTION_MESSAGE };
      return { action: 'ask', reason: 'questions are for the owner' };
    case 'plan':
      if (req.mode === 'auto') return { action: 'allow', reason: 'auto mode' };
      if (req.mode === 'standby') return { action: 'deny', reason: 'standby mode', message: STANDBY_PLAN_MESSAGE };
      return { action: 'ask', reason: 'plans are for the owner to review' };
    case 'tool':
      return decideTool(req);
    default:
      // Fail closed on a kind this code does not know.
      return { action: 'ask', reason: `unknown request kind ${String(req.kind)}` };
  }
}
