/**
 * Approval cards: what the agent asks for (the command, a compact diff, the plan or the
 * questions), the risk and why, and the buttons; and the same card repainted to its outcome.
 */
import type { Approval, Question, Session, ToolAction } from '../../../contract/index.ts';
import { actionDiffLines, actionLabel, actionSubject, describeGrantMatcher, grantSubject, limitWords, spentAgainst } from '../../../contract/index.ts';
import { escapeHtml, markdownToTelegramHtml, telegramVisibleLength, type Redactor } from '../format/index.ts';
import type { ButtonSpec, Keyboard } from '../writer.ts';
import { renderDiff } from './diff.ts';
import { displayPath } from './live-status.ts';
import { sessionLabel } from './session-label.ts';

/** A plan longer than this (visible characters) goes in messages of its own above the card. */
const PLAN_INLINE_LIMIT = 2800;
const COMMAND_SHOWN = 1500;
const RISK_ICONS = { low: '🟢', medium: '🟡', high: '🟠', critical: '🔴' } as const;

/** A card: its text, the plan sent above it when too long to fit, and its buttons. */
export interface CardView {
  readonly html: string;
  readonly preface: string | null;
  readonly keyboard: Keyboard;
}

/** Renders a pending approval. `answers` are the options already picked on a question card. */
export function renderApprovalCard(a: Approval, session: Session | undefined, redact: Redactor, answers: Record<string, string>, now: number): CardView {
  const { body, preface } = requestBody(a, session, redact, answers);
  const mins = Math.max(1, Math.round((a.expiresAt - now) / 60_000));
  const html = [
    a.kind === 'budget'
      ? '💸 <b>Budget reached</b>'
      : `🔐 <b>${a.kind === 'plan' ? 'Plan approval' : a.kind === 'question' ? 'Question' : 'Approval needed'}</b> · ${riskLine(a)}`,
    sessionLabel(session),
    body,
    reasons(a),
    grantLine(a, session, redact),
    a.kind === 'budget'
      ? '<i>⏸ The session is paused and waits for you; nothing more is spent.</i>'
      : `<i>⏳ Times out in ${mins} min (then it counts as denied).</i>`,
  ]
    .filter(Boolean)
    .join('\n');
  return { html, preface, keyboard: cardKeyboard(a, answers) };
}

/** Renders a decided approval: the outcome on top, the request below, no buttons. */
export function renderApprovalOutcome(a: Approval, session: Session | undefined, redact: Redactor): string {
  const { body } = requestBody(a, session, redact, a.answers ?? {});
  return [outcomeLine(a), sessionLabel(session), body].filter(Boolean).join('\n');
}

/** The option behind answer button `index` (options of all questions numbered in order). */
export function optionAt(a: Approval, index: number): { question: Question; label: string } | null {
  let n = 0;
  for (const question of a.questions ?? []) {
    for (const option of question.options) {
      if (n === index) return { question, label: option.label };
      n++;
    }
  }
  return null;
}

/** The one-line outcome: "✅ Allowed from Telegram", "⌛ Expired: timed out after 5 min…". */
export function outcomeLine(a: Approval): string {
  const scope = /for this (session|project)/.exec(a.reason ?? '')?.[0];
  const by = a.surface === 'telegram' ? ' from Telegram' : a.surface === 'policy' ? ' by policy' : a.surface ? ` via ${a.surface}` : '';
  switch (a.status) {
    case 'allowed':
      if (a.kind === 'budget') return `▶️ <b>Continued</b>${by}: ${escapeHtml(a.reason?.replace(/^.* with a limit of /, 'new limit ') ?? '')}`;
      return `✅ <b>Allowed</b>${by}${scope ? ` ${scope}` : ''}`;
    case 'denied':
      if (a.kind === 'budget') return `⏹ <b>Stopped</b>${by} at its budget`;
      return `❌ <b>Denied</b>${by}${a.message && a.surface !== 'policy' && !a.message.startsWith('Denied by the owner') ? `\n💬 ${escapeHtml(a.message)}` : ''}`;
    case 'expired':
      return `⌛ <b>Expired</b>: ${escapeHtml(a.reason ?? 'timed out')}`;
    case 'cancelled':
      return `🚫 <b>Cancelled</b>: ${escapeHtml(a.reason ?? 'withdrawn')}`;
    case 'pending':
      return '🔐 <b>Waiting</b>';
  }
}

function riskLine(a: Approval): string {
  return `${RISK_ICONS[a.risk.level]} ${a.risk.level} risk`;
}

/** What "Allow for this session" would grant, so the owner knows before tapping it. */
function grantLine(a: Approval, session: Session | undefined, redact: Redactor): string {
  if (a.kind !== 'tool') return '';
  if (a.grantOffer === null) return '<i>Can only be allowed once: no standing permission covers this call.</i>';
  return `<i>“Allow for this session” covers ${escapeHtml(redact(describeGrantMatcher(grantSubject(a.action), a.grantOffer.exact, session?.cwd, redact)))}.</i>`;
}

function reasons(a: Approval): string {
  if (a.risk.reasons.length === 0) return '';
  return a.risk.reasons.map((r) => `• ${escapeHtml(r)}`).join('\n');
}

function requestBody(a: Approval, session: Session | undefined, redact: Redactor, answers: Record<string, string>): { body: string; preface: string | null } {
  if (a.kind === 'plan') {
    const html = markdownToTelegramHtml(redact(a.plan ?? ''));
    if (telegramVisibleLength(html) > PLAN_INLINE_LIMIT) return { body: '📋 <i>The plan is in the messages above.</i>', preface: `📋 <b>Plan</b>\n${html}` };
    return { body: `📋 <b>Plan</b>\n${html}`, preface: null };
  }
  if (a.kind === 'question') return { body: (a.questions ?? []).map((q) => questionText(q, answers[q.question])).join('\n\n'), preface: null };
  if (a.kind === 'budget') return { body: budgetText(a), preface: null };
  return { body: toolText(a, session, redact), preface: null };
}

/** Which limit was reached and what it stands at: "This session: $1.04 of $1.00". */
function budgetText(a: Approval): string {
  const ask = a.action.budget;
  if (ask === undefined) return escapeHtml(a.action.title);
  const whose = ask.scope === 'session' ? 'This session' : `All sessions today (${escapeHtml(ask.day ?? '')})`;
  return `${whose}: <b>${escapeHtml(spentAgainst(ask.spent, ask.limit))}</b>\nContinue with a new limit of ${escapeHtml(limitWords(ask.next))}, or stop the session.`;
}

/** The agent's tool name, when it says more than the action's label (`Bash` under "Run"). */
function agentTool(action: ToolAction): string {
  return action.kind === 'other' || action.tool === actionLabel(action) ? '' : ` <i>(${escapeHtml(action.tool)})</i>`;
}

function toolText(a: Approval, session: Session | undefined, redact: Redactor): string {
  const action = a.action;
  const head = `<b>${escapeHtml(actionLabel(action))}</b>${agentTool(action)}`;
  const desc = action.description?.trim() ? `\n<i>${escapeHtml(redact(action.description.trim()))}</i>` : '';
  if (action.kind === 'shell' && action.command !== undefined) {
    const cmd = redact(action.command);
    const shown = cmd.length > COMMAND_SHOWN ? `${cmd.slice(0, COMMAND_SHOWN)}…` : cmd;
    return `${head}${desc}\n<pre>${escapeHtml(shown)}</pre>`;
  }
  const paths = action.paths ?? [];
  if ((action.kind === 'read' || action.kind === 'write' || action.kind === 'edit') && paths.length > 0) {
    // Redacted whole before the diff cuts it into lines: a key body or a wrapped token spans lines.
    const lines = actionDiffLines(redactedEdits(action, redact));
    const files = paths.map((p) => `<code>${escapeHtml(displayPath(redact(p), session))}</code>`).join(', ');
    return lines && lines.length > 0 ? `${head} ${files}${desc}\n${renderDiff(lines.map(redact))}` : `${head} ${files}${desc}`;
  }
  const subject = actionSubject(action);
  if (subject !== '' && action.kind !== 'other' && action.kind !== 'mcp') {
    const shown = redact(subject);
    return `${head}${desc}\n<pre>${escapeHtml(shown.length > COMMAND_SHOWN ? `${shown.slice(0, COMMAND_SHOWN)}…` : shown)}</pre>`;
  }
  const json = redact(JSON.stringify(action.input, null, 1));
  return `${head}${subject ? ` <code>${escapeHtml(redact(subject))}</code>` : ''}${desc}\n<pre>${escapeHtml(json.length > COMMAND_SHOWN ? `${json.slice(0, COMMAND_SHOWN)}…` : json)}</pre>`;
}

/** The action with its edits' texts and its patch redacted whole. */
function redactedEdits(action: ToolAction, redact: Redactor): ToolAction {
  return {
    ...action,
    ...(action.edits
      ? { edits: action.edits.map((e) => ({ path: e.path, oldText: e.oldText === null ? null : redact(e.oldText), newText: redact(e.newText) })) }
      : {}),
    ...(action.patch !== undefined ? { patch: redact(action.patch) } : {}),
  };
}

function questionText(q: Question, picked: string | undefined): string {
  const head = `❓ ${q.header ? `<b>${escapeHtml(q.header)}</b>: ` : ''}${escapeHtml(q.question)}${q.multiSelect ? ' <i>(pick any, then Submit)</i>' : ''}`;
  const chosen = new Set((picked ?? '').split(', ').filter(Boolean));
  const options = q.options.map(
    (o) => `${chosen.has(o.label) ? '☑️' : '▫️'} ${escapeHtml(o.label)}${o.description ? ` — <i>${escapeHtml(o.description)}</i>` : ''}`,
  );
  return [head, ...options].join('\n');
}

function cardKeyboard(a: Approval, answers: Record<string, string>): Keyboard {
  const b = (text: string, action: ButtonSpec['payload']['action']): ButtonSpec => ({ text, payload: { handle: a.handle, action } });
  if (a.kind === 'question') {
    const rows: ButtonSpec[][] = [];
    let n = 0;
    for (const q of a.questions ?? []) {
      const chosen = new Set((answers[q.question] ?? '').split(', ').filter(Boolean));
      const row: ButtonSpec[] = [];
      for (const o of q.options) {
        row.push(b(`${chosen.has(o.label) ? '☑️ ' : ''}${o.label}`, `answer:${n}`));
        n++;
      }
      for (let i = 0; i < row.length; i += 2) rows.push(row.slice(i, i + 2));
    }
    const multi = (a.questions ?? []).some((q) => q.multiSelect);
    rows.push(multi ? [b('📨 Submit', 'allow'), b('❌ Dismiss', 'deny')] : [b('❌ Dismiss', 'deny')]);
    return rows;
  }
  if (a.kind === 'plan') return [[b('✅ Approve plan', 'allow'), b('❌ Keep planning', 'deny')], [b('✍️ Deny with reason', 'deny_reason')]];
  if (a.kind === 'budget')
    return [[b(`▶️ Continue to ${a.action.budget ? limitWords(a.action.budget.next) : 'a new limit'}`, 'allow'), b('⏹ Stop session', 'deny')]];
  const rows = [[b('✅ Allow', 'allow'), b('❌ Deny', 'deny')]];
  if (a.grantOffer !== null) rows.push([b('✅ Allow for this session', 'allow_session')]);
  rows.push([b('✍️ Deny with reason', 'deny_reason')]);
  return rows;
}
