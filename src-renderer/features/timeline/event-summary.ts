import { actionLabel, actionOf, actionSubject } from '../../../src-main/contract/action-words.ts';
import type { ToolAction } from '../../../src-main/contract/action.ts';
import type { SessionEvent } from '../../../src-main/contract/events.ts';
import { readableTerminalText } from './terminal-text.ts';

/** How one timeline row reads: a short label, the text, and a tone for its colour. */
export interface EventSummary {
  label: string;
  text: string;
  tone: 'agent' | 'user' | 'tool' | 'approval' | 'status' | 'error' | 'muted';
}

const MAX_TEXT = 600;

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

/** What a call acts on (the command, the files, the URL), else its input as compact JSON. */
export function describeAction(action: ToolAction): string {
  return clip(actionSubject(action) || JSON.stringify(action.input));
}

/** Summarises an event for the timeline; every kind of the closed union has a row. */
export function summarizeEvent(event: SessionEvent): EventSummary {
  switch (event.kind) {
    case 'message':
      return event.payload.role === 'assistant'
        ? { label: 'Agent', text: clip(event.payload.text), tone: 'agent' }
        : { label: 'You', text: clip(event.payload.text), tone: 'user' };
    case 'tool_call':
      return { label: actionLabel(actionOf(event.payload)), text: describeAction(actionOf(event.payload)), tone: 'tool' };
    case 'tool_result':
      return {
        label: event.payload.isError ? 'Tool error' : 'Result',
        text: clip(event.payload.text) + (event.payload.truncated ? ' [truncated]' : ''),
        tone: event.payload.isError ? 'error' : 'muted',
      };
    case 'approval_requested':
      return {
        label: 'Approval needed',
        text: `${actionLabel(actionOf(event.payload))}: ${describeAction(actionOf(event.payload))} (risk ${event.payload.risk.level})`,
        tone: 'approval',
      };
    case 'approval_decided':
      return {
        label: event.payload.status === 'allowed' ? 'Allowed' : event.payload.status === 'denied' ? 'Denied' : 'Approval ended',
        text: `${event.payload.reason} (${event.payload.surface})`,
        tone: 'approval',
      };
    case 'policy_decision':
      return {
        label: event.payload.decision === 'allow' ? 'Allowed by policy' : event.payload.decision === 'deny' ? 'Denied by policy' : 'Policy: owner decides',
        text: `${event.payload.action ? actionLabel(event.payload.action) : event.payload.tool}: ${event.payload.reason}`,
        tone: event.payload.decision === 'deny' ? 'error' : 'muted',
      };
    case 'followup':
      return { label: `Follow-up (${event.payload.delivery})`, text: clip(event.payload.text), tone: 'user' };
    case 'status':
      return { label: 'Status', text: event.payload.detail ? `${event.payload.state}: ${event.payload.detail}` : event.payload.state, tone: 'status' };
    case 'usage': {
      const cost = event.payload.costUsd === null ? '' : `, $${event.payload.costUsd.toFixed(4)}`;
      return { label: 'Usage', text: `${event.payload.inputTokens} in / ${event.payload.outputTokens} out tokens${cost}`, tone: 'muted' };
    }
    case 'error':
      return { label: `Error (${event.payload.source})`, text: clip(event.payload.message), tone: 'error' };
    case 'terminal_output':
      return { label: 'Terminal', text: clip(readableTerminalText(event.payload.data)), tone: 'tool' };
    case 'raw':
      return { label: 'Agent event', text: event.payload.agentType ?? 'untyped', tone: 'muted' };
  }
}
