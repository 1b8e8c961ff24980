/**
 * Approval decision logic: shell parsing, risk classification, grant matching and policy.
 * Pure code; the only filesystem access is the optional symlink probe (`fsPathProbe`).
 */
export { classifyToolCall, raiseRisk } from './risk.ts';
export type { ClassifyContext } from './risk.ts';
export { grantMatches, sameCommand, commandPrefixMatches, matcherCovers } from './grant-match.ts';
export type { GrantCall } from './grant-match.ts';
export { grantOfferFor, ungrantable } from './grant-offer.ts';
export { grantTarget, canonicalJson } from './grant-target.ts';
export type { GrantTarget, TargetContext } from './grant-target.ts';
export {
  decidePolicy,
  readOnlyAction,
  reinsDenyMessage,
  STANDBY_PLAN_MESSAGE,
  STANDBY_QUESTION_MESSAGE,
  STANDBY_TOOL_MESSAGE,
} from './policy.ts';
export type { PolicyRequest, PolicyVerdict } from './policy.ts';
export { parseShell } from './shell-parse.ts';
export type { CommandOrigin, ParsedShell, RedirectOp, ShellRedirect, ShellWord, SimpleCommand } from './shell-parse.ts';
export { GlobError, matchGlob } from './glob.ts';
export type { PathProbe } from './paths.ts';
export { fsPathProbe } from './path-probe.ts';
