/**
 * A session's events as terminal lines for `reins run` and `reins attach`: what the agent says and
 * does, decisions, state changes and failures, one glance each. Plain text (no colour codes), so a
 * pipe or a log file reads the same as the terminal.
 */
import type { SessionEvent } from '../../contract/index.ts';
import { actionLabel, actionOf, actionSubject, formatTokens, formatUsd, providerErrorHeadline } from '../../contract/index.ts';

/** Lines of a tool's output shown under its call. */
const RESULT_LINES = 3;
const LINE_MAX = 160;

const clip = (text: string, max = LINE_MAX): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const indent = (text: string, prefix: string): string =>
  text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');

/** The text to print for one event, or null for events with nothing to show (raw agent lines, allowed calls). */
export function eventText(ev: SessionEvent): string | null {
  switch (ev.kind) {
    case 'message':
      return ev.payload.role === 'assistant' ? ev.payload.text.trim() || null : indent(ev.payload.text.trim(), '> ');
    case 'followup':
      return ev.payload.state === 'sent'
        ? indent(ev.payload.text.trim(), '> ')
        : ev.payload.state === 'cancelled'
          ? `· message cancelled: ${clip(ev.payload.text)}`
          : null;
    case 'tool_call': {
      const action = actionOf(ev.payload);
      const subject = actionSubject(action);
      return `● ${actionLabel(action)}${subject ? ` ${clip(subject)}` : ''}`;
    }
    case 'tool_result': {
      const lines = ev.payload.text.split('\n').filter((line) => line.trim() !== '');
      const shown = lines.slice(0, RESULT_LINES).map((line) => clip(line));
      if (lines.length > RESULT_LINES) shown.push(`… ${lines.length - RESULT_LINES} more lines`);
      const head = ev.payload.isError ? 'failed' : 'done';
      return shown.length ? `  ⎿ ${head}: ${shown.join('\n    ')}` : `  ⎿ ${head}`;
    }
    case 'approval_decided':
      return ev.payload.status === 'allowed' ? `  ✔ ${ev.payload.reason}` : `  ✘ ${ev.payload.reason}`;
    case 'policy_decision':
      return ev.payload.decision === 'deny' ? `  ✘ denied by policy: ${ev.payload.reason}` : null;
    case 'status':
      if (ev.payload.turn === 'started') return null;
      if (ev.payload.turn === 'ended') return ev.payload.detail && ev.payload.detail !== 'turn finished' ? `· ${ev.payload.detail}` : null;
      return ev.payload.detail ? `· ${ev.payload.detail}` : null;
    case 'usage': {
      const cost = ev.payload.costUsd === null ? '' : `${formatUsd(ev.payload.costUsd)}, `;
      return `· ${cost}${formatTokens(ev.payload.inputTokens + ev.payload.outputTokens)}`;
    }
    case 'provider_error': {
      const head = `⚠ ${providerErrorHeadline(ev.payload)}`;
      return ev.payload.retry ? head : `${head}\n  → ${ev.payload.advice}`;
    }
    case 'error':
      return `✘ ${ev.payload.message}`;
    case 'terminal_output':
      return ev.payload.data;
    case 'approval_requested':
    case 'raw':
      return null;
  }
}
