import { memo } from 'react';
import { actionLabel, actionSubject } from '../../../src-main/contract/action-words.ts';
import type { Approval, Session } from '../../../src-main/contract/domain.ts';
import { ApprovalCard } from '../approvals/approval-card.tsx';
import { outcomeText, surfaceTag } from '../approvals/words.ts';
import { ActionBody } from './action-body.tsx';
import { Markdown } from './rich-text.tsx';
import { readableTerminalText } from './terminal-text.ts';
import type { ToolCall, TranscriptItem } from './transcript.ts';

/** Tool output shown in a row before "…": the rest stays in the log. */
const OUTPUT_SHOWN = 4000;

/** What a row needs besides its item: the session, the live approvals and the open disclosures. */
export interface RowContext {
  session: Session;
  pending: Record<string, Approval>;
  now: number;
  expanded: ReadonlySet<string>;
  toggle(key: string): void;
}

const DELIVERY_WORDS = { queue: 'after this turn', steer: 'sent mid-turn', interrupt: 'interrupting the turn' } as const;

function UserRow({ item }: { item: Extract<TranscriptItem, { type: 'user' }> }) {
  const notes = [
    item.source ? `from ${surfaceTag(item.source)}` : null,
    item.state === 'queued' ? `queued · ${DELIVERY_WORDS[item.delivery ?? 'queue']}` : null,
    item.state === 'cancelled' ? 'cancelled' : null,
    item.state === 'failed' ? 'not delivered' : null,
  ].filter(Boolean);
  return (
    <div className={`msg msg-user${item.state === 'cancelled' ? ' msg-cancelled' : ''}`}>
      <div className="bubble">{item.text}</div>
      {notes.length > 0 ? <div className="msg-meta">{notes.join(' · ')}</div> : null}
    </div>
  );
}

/** "exit 1", "failed", "denied by policy", "running…" or "done". */
function callStatus(call: ToolCall): { text: string; tone: 'ok' | 'bad' | 'busy' } {
  if (call.deniedByPolicy !== null) return { text: 'denied by policy', tone: 'bad' };
  if (call.result === null) return { text: 'running…', tone: 'busy' };
  if (call.result.isError) {
    const exit = /^Exit code (\d+)/.exec(call.result.text);
    return { text: exit ? `exit ${exit[1]}` : 'failed', tone: 'bad' };
  }
  return { text: call.action.kind === 'shell' ? 'exit 0' : 'done', tone: 'ok' };
}

function CallDetail({ call, cwd }: { call: ToolCall; cwd: string }) {
  const output = call.result?.text ?? '';
  return (
    <div className="call-detail">
      <ActionBody action={call.action} cwd={cwd} />
      {call.deniedByPolicy ? <p className="call-denied">{call.deniedByPolicy}</p> : null}
      {output !== '' ? (
        <pre className={call.result?.isError ? 'call-output call-output-error' : 'call-output'}>
          {output.length > OUTPUT_SHOWN ? `${output.slice(0, OUTPUT_SHOWN)}…` : output}
          {call.result?.truncated ? '\n[output cut by the agent]' : ''}
        </pre>
      ) : null}
    </div>
  );
}

/** "Read 3 files, searched 2 times". */
function foldedSummary(calls: ToolCall[]): string {
  const reads = calls.filter((c) => c.action.kind === 'read').reduce((n, c) => n + Math.max(1, c.action.paths?.length ?? 1), 0);
  const searches = calls.filter((c) => c.action.kind === 'search').length;
  return [reads > 0 ? `Read ${reads} file${reads === 1 ? '' : 's'}` : null, searches > 0 ? `searched ${searches} time${searches === 1 ? '' : 's'}` : null]
    .filter(Boolean)
    .join(', ')
    .replace(/^s/, 'S');
}

function ToolsRow({ item, context }: { item: Extract<TranscriptItem, { type: 'tools' }>; context: RowContext }) {
  const open = context.expanded.has(item.key);
  const first = item.calls[0]!;
  const folded = item.folded && item.calls.length > 1;
  const status = folded ? null : callStatus(first);
  const panelId = `${item.key}-detail`;
  return (
    <div className="tool-row">
      <button type="button" className="tool-summary" aria-expanded={open} aria-controls={panelId} onClick={() => context.toggle(item.key)}>
        <span className="tool-caret" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        {folded ? (
          <span className="tool-label">{foldedSummary(item.calls)}</span>
        ) : (
          <>
            <span className="tool-label">{actionLabel(first.action)}</span>
            <code className="tool-subject">{actionSubject(first.action) || first.action.title}</code>
          </>
        )}
        {status ? <span className={`tool-status tool-${status.tone}`}>{status.text}</span> : null}
      </button>
      {open ? (
        <div id={panelId} className="tool-detail">
          {item.calls.map((call) => (
            <CallDetail key={call.toolUseId} call={call} cwd={context.session.cwd} />
          ))}
        </div>
      ) : null}
    </div>
  );
}

function ApprovalRow({ item, context }: { item: Extract<TranscriptItem, { type: 'approval' }>; context: RowContext }) {
  const live = context.pending[item.approvalId];
  if (live) return <ApprovalCard approval={live} session={context.session} now={context.now} />;
  const status = item.status === 'pending' ? 'cancelled' : item.status;
  const open = context.expanded.has(item.key);
  const tone = item.status === 'allowed' ? 'ok' : 'bad';
  return (
    <div className="approval-outcome">
      <span className={`outcome-badge outcome-${tone}`}>
        {outcomeText(item.kind, status, item.surface, item.status === 'pending' ? 'no longer waiting' : item.reason)}
      </span>
      {item.kind === 'plan' ? (
        <>
          <button type="button" className="link-button" aria-expanded={open} onClick={() => context.toggle(item.key)}>
            {open ? 'Hide the plan' : 'Show the plan'}
          </button>
          {open ? <Markdown text={item.action.plan ?? ''} /> : null}
        </>
      ) : item.kind === 'question' ? (
        <span className="outcome-subject">{(item.action.questions ?? []).map((q) => q.question).join(' · ')}</span>
      ) : (
        <span className="outcome-subject">
          {actionLabel(item.action)} <code>{actionSubject(item.action)}</code>
        </span>
      )}
    </div>
  );
}

function formatTokens(n: number): string {
  return n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

function UsageRow({ item }: { item: Extract<TranscriptItem, { type: 'usage' }> }) {
  const parts = [
    item.costUsd === null ? null : `$${item.costUsd.toFixed(item.costUsd < 0.01 ? 4 : 2)}`,
    `${formatTokens(item.inputTokens)} in · ${formatTokens(item.outputTokens)} out`,
    item.durationMs === null ? null : `${(item.durationMs / 1000).toFixed(1)} s`,
  ].filter(Boolean);
  return <div className="turn-usage">{parts.join(' · ')}</div>;
}

/**
 * One chat row. Rebuilt transcripts make new item objects, so rows compare what they show: a row
 * re-renders when its content or the context changes, not on every scroll frame or page load.
 */
export const TranscriptRow = memo(
  RowOf,
  (prev, next) => prev.context === next.context && (prev.item === next.item || JSON.stringify(prev.item) === JSON.stringify(next.item)),
);

function RowOf({ item, context }: { item: TranscriptItem; context: RowContext }) {
  switch (item.type) {
    case 'user':
      return <UserRow item={item} />;
    case 'assistant':
      return (
        <div className="msg msg-agent">
          <Markdown text={item.text} />
        </div>
      );
    case 'tools':
      return <ToolsRow item={item} context={context} />;
    case 'approval':
      return <ApprovalRow item={item} context={context} />;
    case 'usage':
      return <UsageRow item={item} />;
    case 'separator':
      return (
        <div className="separator">
          <span>{item.text}</span>
        </div>
      );
    case 'error':
      return <div className="transcript-error">{item.text}</div>;
    case 'provider-error':
      return item.retry ? (
        <div className="provider-retry" role="status">
          <strong>{item.title}</strong>: {item.message}; {item.retry}
        </div>
      ) : (
        <div className="transcript-error provider-error" role="alert">
          <strong>{item.title}</strong>: {item.message}
          <p className="provider-advice">What to do: {item.advice}</p>
        </div>
      );
    case 'terminal':
      return <pre className="terminal-text">{readableTerminalText(item.data)}</pre>;
    case 'detail':
      return (
        <div className="detail-row">
          <span className="detail-label">{item.label}</span>
          <code>{item.text.length > OUTPUT_SHOWN ? `${item.text.slice(0, OUTPUT_SHOWN)}…` : item.text}</code>
        </div>
      );
  }
}
