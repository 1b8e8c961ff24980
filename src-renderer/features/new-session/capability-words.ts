import type { AgentCapabilities } from '../../../src-main/contract/action.ts';

/** What each capability means to the owner, in a few words (the order is the order shown). */
const CAPABILITY_WORDS: readonly [keyof AgentCapabilities, string][] = [
  ['approvals', 'asks before risky calls'],
  ['toolChecks', 'every call checked'],
  ['questions', 'asks questions'],
  ['planMode', 'plan mode'],
  ['resume', 'resume'],
  ['steer', 'steer mid-turn'],
  ['queueWhileBusy', 'queue follow-ups'],
  ['interrupt', 'interrupt'],
  ['images', 'images'],
];

/** The capabilities an agent has, as short phrases. */
export function capabilityWords(capabilities: AgentCapabilities): string[] {
  return CAPABILITY_WORDS.filter(([key]) => capabilities[key]).map(([, words]) => words);
}
