import type { Approval, Session } from '../contract/index.ts';
import { actionLabel, actionSubject, limitWords } from '../contract/index.ts';

/** "3 m ago"-style age. */
function age(ts: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} m ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/** Aligns rows into columns. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

export function sessionRow(s: Session): string[] {
  const shown = s.state === 'waiting' ? `waiting (${s.waitingFor})` : s.state;
  // An adopted session runs outside Reins (its hook reports to Reins): say so next to its state.
  const state = `${s.adopted ? `adopted, ${shown}` : shown}${s.archivedAt !== null ? ', archived' : ''}`;
  return [s.name, s.id.slice(0, 8), s.agent, s.mode, state, age(s.updatedAt), s.cwd, s.title];
}

/** One-line summary of what an approval asks for. */
export function approvalSummary(a: Approval): string {
  if (a.kind === 'plan') return `plan: ${(a.plan ?? '').split('\n')[0]?.slice(0, 80)}`;
  if (a.kind === 'question') return `question: ${a.questions?.map((q) => q.question).join(' | ')}`;
  if (a.kind === 'budget') return `${a.action.title} (approve: continue to ${a.action.budget ? limitWords(a.action.budget.next) : 'a new limit'}; deny: stop)`;
  const subject = actionSubject(a.action) || JSON.stringify(a.input);
  return `${actionLabel(a.action)}: ${subject.slice(0, 100)}`;
}
