/**
 * An approval answered in the terminal: its card, and the single keys that decide it. The keys are
 * the window's (a allow, s allow for the session, d deny, r deny with a reason), so a hand used to one
 * knows the other.
 */
import type { Approval, DecisionBody } from '../../contract/index.ts';
import { actionLabel, actionSubject, describeGrantMatcher, grantSubject, limitWords } from '../../contract/index.ts';

/** What a key press asks for: a decision, a reason to read first, or nothing (show the help again). */
export type KeyChoice = { body: DecisionBody; words: string } | { reason: true } | null;

/** The card printed when an approval waits: what it is, its risk and why, and the keys. */
export function approvalCard(a: Approval, cwd: string): string {
  const lines: string[] = [];
  if (a.kind === 'budget') {
    lines.push(`⏸ ${a.action.title}`);
  } else if (a.kind === 'plan') {
    lines.push(`? Plan approval (${a.risk.level} risk)`, ...(a.plan ?? '').split('\n').map((line) => `  ${line}`));
  } else if (a.kind === 'question') {
    lines.push('? The agent asks:', ...(a.questions ?? []).map((q) => `  ${q.question} (${q.options.map((o) => o.label).join(' / ')})`));
  } else {
    const subject = actionSubject(a.action);
    lines.push(`? ${actionLabel(a.action)}${subject ? ` ${subject}` : ''}  (${a.risk.level} risk)`);
    for (const reason of a.risk.reasons) lines.push(`  - ${reason}`);
    if (a.grantOffer) lines.push(`  [s] covers ${describeGrantMatcher(grantSubject(a.action), a.grantOffer.exact, cwd)}`);
  }
  lines.push(`  ${keyHelp(a)}`);
  return lines.join('\n');
}

/** The keys this approval takes. */
export function keyHelp(a: Approval): string {
  if (a.kind === 'budget') return `[a] continue to ${a.action.budget ? limitWords(a.action.budget.next) : 'a new limit'}  [d] stop the session`;
  if (a.kind === 'question') return '[d] dismiss  (answer it in the window, on the phone or with `reins allow HANDLE --answer`)';
  return `[a] allow${a.kind === 'tool' && a.grantOffer ? '  [s] allow for this session' : ''}  [d] deny  [r] deny with a reason`;
}

/** What `key` does for `a`; null for a key it does not take. */
export function choiceFor(a: Approval, key: string): KeyChoice {
  switch (key.toLowerCase()) {
    case 'a':
      if (a.kind === 'question') return null;
      return { body: { decision: 'allow' }, words: a.kind === 'budget' ? 'continuing' : 'allowing' };
    case 's':
      return a.kind === 'tool' && a.grantOffer ? { body: { decision: 'allow', scope: 'session' }, words: 'allowing for this session' } : null;
    case 'd':
      return { body: { decision: 'deny' }, words: a.kind === 'budget' ? 'stopping the session' : 'denying' };
    case 'r':
      return a.kind === 'tool' || a.kind === 'plan' ? { reason: true } : null;
    default:
      return null;
  }
}
