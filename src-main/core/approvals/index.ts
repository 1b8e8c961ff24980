/**
 * Approval decision logic: shell parsing, risk classification, grant matching and policy.
 * Pure code; the only filesystem access is the optional symlink probe (`fsPathProbe`).
 */
export { classifyToolCall, raiseRisk } from './risk.ts';
export { grantMatches } from './grant-match.ts';
export { grantOfferFor } from './grant-offer.ts';
export {
  decidePolicy,
  readOnlyAction,
} from './policy.ts';
export { parseShell } from './shell-parse.ts';
export { fsPathProbe } from './path-probe.ts';
