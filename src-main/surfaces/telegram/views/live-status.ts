/**
 * The live-status message of a run: what the agent is doing now, its latest tool calls, the
 * files it changed, cost and tokens. Re-rendered as the run goes; the text only changes when
 * something visible changed (elapsed time is shown in whole minutes), so unchanged renders
 * cost no Bot API call.
 */
import { isAbsolute, relative } from 'node:path';
import type { Session } from '../../../contract/index.ts';
import { spentAgainst } from '../../../contract/index.ts';
import { escapeHtml, redactThenShorten, type Redactor } from '../format/index.ts';
import { phaseOf, runningAction, type LiveTurn } from '../live-turn.ts';
import { sessionLabel } from './session-label.ts';

const FILES_SHOWN = 5;
const ACTIONS_SHOWN = 4;
const TEXT_SHOWN = 280;
const SUMMARY_SHOWN = 120;

const shown = (text: string, max: number, redact: Redactor): string => redactThenShorten(redact, text, max);

/** Renders the run as Telegram HTML. `now` only matters for "for N m" on a long tool call. */
export function renderLiveStatus(turn: LiveTurn, session: Session | undefined, now: number, redact: Redactor): string {
  const lines: string[] = [sessionLabel(session)];
  lines.push(phaseLine(turn, session, now, redact));
  for (const a of turn.actions.slice(-ACTIONS_SHOWN)) {
    const mark = a.ok === null ? '…' : a.ok ? '✓' : '✗';
    const what = shown(a.kind === 'shell' ? a.summary : displayPath(a.summary, session), SUMMARY_SHOWN, redact);
    lines.push(`${mark} ${escapeHtml(a.label)}${what ? ` <code>${escapeHtml(what)}</code>` : ''}`);
  }
  if (turn.files.length > 0) {
    const names = turn.files.slice(0, FILES_SHOWN).map((f) => `<code>${escapeHtml(displayPath(f, session))}</code>`);
    const more = turn.files.length > FILES_SHOWN ? ` +${turn.files.length - FILES_SHOWN} more` : '';
    lines.push(`📝 ${names.join(', ')}${more}`);
  }
  if (turn.end === null && turn.lastText) {
    lines.push(`💬 <i>${escapeHtml(shown(redact(turn.lastText).replace(/\s+/g, ' ').trim(), TEXT_SHOWN, redact))}</i>`);
  }
  if (turn.end === null && turn.retry) lines.push(`🔁 <i>${escapeHtml(turn.retry)}</i>`);
  if (turn.providerError) lines.push(providerErrorLines(turn.providerError));
  const usage = usageLine(turn);
  if (usage) lines.push(usage);
  const budget = budgetLine(session);
  if (budget) lines.push(budget);
  return lines.join('\n');
}

/** A provider failure in two lines: "⚠️ Rate limited: what happened" and "👉 what to do". */
export function providerErrorLines(e: { title: string; message: string; advice: string }): string {
  return `⚠️ <b>${escapeHtml(e.title)}</b>: ${escapeHtml(e.message)}\n👉 ${escapeHtml(e.advice)}`;
}

/** The session's spend against its limit ("💸 $0.42 of $1.00"), when it has one. */
export function budgetLine(session: Session | undefined): string | null {
  const b = session?.budget;
  if (!b || (b.limit.costUsd === null && b.limit.tokens === null)) return null;
  return `💸 ${escapeHtml(spentAgainst(b.spent, b.limit))}`;
}

function phaseLine(turn: LiveTurn, session: Session | undefined, now: number, redact: Redactor): string {
  switch (phaseOf(turn)) {
    case 'thinking':
      return '💭 <b>thinking</b>';
    case 'tool': {
      const a = runningAction(turn);
      const minutes = a ? Math.floor((now - a.at) / 60_000) : 0;
      const what = a?.summary
        ? ` <code>${escapeHtml(shown(a.kind === 'shell' ? a.summary : `${a.label} ${displayPath(a.summary, session)}`, SUMMARY_SHOWN, redact))}</code>`
        : ` ${escapeHtml(a?.label ?? 'a tool')}`;
      return `▶️ <b>running</b>${what}${minutes >= 1 ? ` for ${minutes} m` : ''}`;
    }
    case 'waiting':
      return '✋ <b>waiting for you</b> (approval below)';
    case 'stalled':
      return '⚠️ <b>stalled</b>: no output from the agent for a while';
    case 'done':
      return '✅ <b>done</b>';
    case 'failed':
      return `❌ <b>failed</b>${turn.detail ? `: ${escapeHtml(shown(turn.detail, 300, redact))}` : ''}`;
    case 'interrupted':
      return `⏹ <b>interrupted</b>${turn.detail && turn.detail !== 'turn interrupted' ? `: ${escapeHtml(shown(turn.detail, 300, redact))}` : ''}`;
    case 'stopped':
      return '⏹ <b>stopped</b>';
  }
}

function usageLine(turn: LiveTurn): string | null {
  if (turn.costUsd === null && turn.inputTokens === 0 && turn.outputTokens === 0) return null;
  const parts: string[] = [];
  if (turn.costUsd !== null) parts.push(`$${turn.costUsd.toFixed(4)}`);
  parts.push(`${tokens(turn.inputTokens)} in`, `${tokens(turn.outputTokens)} out`);
  return `<i>${parts.join(' · ')}</i>`;
}

/** 1234 → "1.2k". */
function tokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** A path relative to the session's project when inside it, else as given. */
export function displayPath(path: string, session: Session | undefined): string {
  if (!session || !isAbsolute(path)) return path;
  const rel = relative(session.cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
