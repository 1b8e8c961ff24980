/**
 * Policy: what Reins decides on its own before asking the owner. Pure; the approval service
 * records whatever it returns.
 *
 * - `question` (AskUserQuestion): always the owner's, in `ask` and `auto`; denied in `standby`.
 * - `plan` (ExitPlanMode): asks in `ask`, allowed in `auto`, denied in `standby`.
 * - `tool`: read-only tools at `low` risk run in every mode. Everything else is risky: allowed in
 *   `auto`, denied in `standby`, and in `ask` allowed by the first matching grant or asked.
 *   `critical` calls are only allowed by a command grant that matched (an exact, owner-approved
 *   command or prefix); `any` and path grants do not stretch that far.
 */
import type { ApprovalKind, Grant, Risk, SessionMode } from '../../contract/domain.ts';
import { grantMatches } from './grant-match.ts';
import type { PathProbe } from './paths.ts';

/** Tools that only read; they skip the owner when the classifier found nothing risky. */
export const READ_ONLY_TOOLS: ReadonlySet<string> = new Set(['Read', 'Grep', 'Glob', 'LS', 'NotebookRead', 'TodoWrite']);

/** Everything policy needs about one request. */
export interface PolicyRequest {
  mode: SessionMode;
  kind: ApprovalKind;
  tool: string;
  input: Record<string, unknown>;
  /** The request's risk, already raised by classifyToolCall. */
  risk: Risk;
  /** Grants that may apply (policy re-checks each one). */
  grants: readonly Grant[];
  sessionId: string;
  projectId: string;
  projectDir: string;
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

function describeGrant(grant: Grant): string {
  const m = grant.matcher;
  const what = m.kind === 'any' ? 'any input' : m.kind === 'command' ? `commands starting with "${m.prefix}"` : `paths matching ${m.glob}`;
  return `grant ${grant.id} (${grant.scope}: ${grant.tool}, ${what})`;
}

function askReason(risk: Risk): string {
  const why = risk.reasons.length > 0 ? `: ${risk.reasons.join('; ')}` : '';
  return `${risk.level} risk needs the owner's decision${why}`;
}

function decideTool(req: PolicyRequest): PolicyVerdict {
  if (READ_ONLY_TOOLS.has(req.tool) && req.risk.level === 'low') return { action: 'allow', reason: 'read-only tool' };
  if (req.mode === 'auto') return { action: 'allow', reason: 'auto mode' };
  if (req.mode === 'standby') return { action: 'deny', reason: 'standby mode', message: STANDBY_TOOL_MESSAGE };
  const critical = req.risk.level === 'critical';
  const call = { tool: req.tool, input: req.input, sessionId: req.sessionId, projectId: req.projectId, projectDir: req.projectDir };
  let heldBack = false;
  for (const grant of req.grants) {
    if (!grantMatches(grant, call, req.now, req.probe ? { probe: req.probe } : {})) continue;
    if (critical && grant.matcher.kind !== 'command') {
      heldBack = true;
      continue;
    }
    return { action: 'allow', reason: `allowed by ${describeGrant(grant)}`, grantId: grant.id };
  }
  const note = heldBack ? ' (a matching grant does not cover critical calls)' : '';
  return { action: 'ask', reason: askReason(req.risk) + note };
}

/** Decides a request: allow or deny on policy's own authority, or ask the owner. */
export function decidePolicy(req: PolicyRequest): PolicyVerdict {
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
