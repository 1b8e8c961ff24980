/**
 * A session's event log as the blocks a transcript shows, every string already redacted: the owner's
 * messages, the agent's answers, shell calls with their output, edits as diffs, questions with their
 * answers, approvals with who decided where, usage per turn and state changes.
 */
import { providerErrorHeadline } from '../../contract/index.ts';
import type { ToolAction } from '../../contract/action.ts';
import type { Approval, Question, Surface } from '../../contract/domain.ts';
import type { SessionEvent } from '../../contract/events.ts';
import type { Redactor } from '../redaction/index.ts';

/** One thing a transcript shows, in log order. */
export type Block =
  | { type: 'turn'; n: number }
  | { type: 'owner'; text: string; surface: Surface | null; ts: number }
  | { type: 'agent'; text: string }
  | { type: 'tool'; kind: 'shell' | 'diff' | 'other'; title: string; body: string; output: string | null; failed: boolean }
  | { type: 'question'; questions: Question[]; answers: Record<string, string> | null; status: string; by: string | null; surface: Surface | null }
  | { type: 'approval'; title: string; status: string; by: string; surface: Surface; reason: string }
  | { type: 'usage'; costUsd: number | null; inputTokens: number; outputTokens: number; durationMs: number | null }
  | { type: 'state'; text: string }
  | { type: 'error'; text: string };

/** A unified-ish diff of an edit: the agent's patch, else its replacements line by line. */
function diffOf(action: ToolAction): string {
  if (action.patch) return action.patch;
  return (action.edits ?? [])
    .map((e) => {
      const removed = e.oldText === null ? [] : e.oldText.split('\n').map((l) => `-${l}`);
      const added = e.newText.split('\n').map((l) => `+${l}`);
      return [`--- ${e.oldText === null ? '/dev/null' : e.path}`, `+++ ${e.path}`, ...removed, ...added].join('\n');
    })
    .join('\n');
}

function toolBlock(action: ToolAction | undefined, tool: string, input: Record<string, unknown>): Extract<Block, { type: 'tool' }> {
  if (action?.kind === 'shell' && action.command !== undefined) {
    return { type: 'tool', kind: 'shell', title: action.title, body: action.command, output: null, failed: false };
  }
  if (action && (action.kind === 'edit' || action.kind === 'write') && (action.patch || action.edits?.length)) {
    return { type: 'tool', kind: 'diff', title: action.title, body: diffOf(action), output: null, failed: false };
  }
  return { type: 'tool', kind: 'other', title: action?.title ?? tool, body: action ? '' : JSON.stringify(input), output: null, failed: false };
}

/**
 * Turns events into blocks. `approvals` are the session's approvals (questions' answers live on the
 * approval, not in the decided event). Every string goes through `redact` here, so no renderer can
 * show an unredacted value.
 */
export function buildBlocks(events: readonly SessionEvent[], approvals: readonly Approval[], redact: Redactor): Block[] {
  const builder = createBlockBuilder(approvals, redact);
  builder.add(events);
  return builder.blocks;
}

/**
 * {@link buildBlocks} a page at a time: the export reads a long log in pages and lets the core's other
 * work run between them.
 */
export function createBlockBuilder(approvals: readonly Approval[], redact: Redactor): { add(events: readonly SessionEvent[]): void; readonly blocks: Block[] } {
  const blocks: Block[] = [];
  const tools = new Map<string, Extract<Block, { type: 'tool' }>>();
  const approvalTitles = new Map<string, string>();
  const answersOf = new Map(approvals.map((a) => [a.id, a]));
  let turn = 0;
  const add = (events: readonly SessionEvent[]): void => {
    for (const e of events) {
      switch (e.kind) {
        case 'followup':
          if (e.payload.state === 'cancelled') break;
          blocks.push({ type: 'owner', text: redact(e.payload.text), surface: e.payload.source ?? null, ts: e.ts });
          break;
        case 'message':
          if (e.payload.role === 'user') blocks.push({ type: 'owner', text: redact(e.payload.text), surface: e.payload.source ?? null, ts: e.ts });
          else blocks.push({ type: 'agent', text: redact(e.payload.text) });
          break;
        case 'tool_call': {
          if (e.payload.action?.kind === 'question') break; // shown with its approval
          const block = toolBlock(e.payload.action, e.payload.tool, e.payload.input);
          block.title = redact(block.title);
          block.body = redact(block.body);
          tools.set(e.payload.toolUseId, block);
          blocks.push(block);
          break;
        }
        case 'tool_result': {
          const block = tools.get(e.payload.toolUseId);
          if (!block) break;
          block.output = redact(e.payload.text) + (e.payload.truncated ? '\n…(cut)' : '');
          block.failed = e.payload.isError;
          break;
        }
        case 'approval_requested': {
          const title = redact(e.payload.action?.title ?? e.payload.tool);
          approvalTitles.set(e.payload.approvalId, title);
          if (e.payload.kind !== 'question') break;
          const questions = (e.payload.action?.questions ?? []).map((q) => ({
            ...q,
            question: redact(q.question),
            options: q.options.map((o) => ({ label: redact(o.label), ...(o.description ? { description: redact(o.description) } : {}) })),
          }));
          blocks.push({ type: 'question', questions, answers: null, status: 'pending', by: null, surface: null });
          break;
        }
        case 'approval_decided': {
          const approval = answersOf.get(e.payload.approvalId);
          const question = approval?.kind === 'question' ? [...blocks].reverse().find((b) => b.type === 'question' && b.status === 'pending') : undefined;
          if (question?.type === 'question') {
            question.status = e.payload.status;
            question.answers = approval?.answers ? Object.fromEntries(Object.entries(approval.answers).map(([k, v]) => [redact(k), redact(v)])) : null;
            question.by = redact(e.payload.decidedBy);
            question.surface = e.payload.surface;
            break; // the answer line says who answered where
          }
          blocks.push({
            type: 'approval',
            title: approvalTitles.get(e.payload.approvalId) ?? 'a tool call',
            status: e.payload.status,
            by: redact(e.payload.decidedBy),
            surface: e.payload.surface,
            reason: redact(e.payload.reason),
          });
          break;
        }
        case 'usage':
          blocks.push({ type: 'usage', ...pickUsage(e.payload) });
          break;
        case 'status':
          if (e.payload.turn === 'started') {
            // The owner's message that started the turn is logged just before it: it opens the turn.
            let at = blocks.length;
            while (at > 0 && blocks[at - 1]?.type === 'owner') at--;
            blocks.splice(at, 0, { type: 'turn', n: ++turn });
          } else if (!e.payload.turn && !e.payload.reminder) {
            blocks.push({ type: 'state', text: redact(e.payload.detail ? `${e.payload.state}: ${e.payload.detail}` : e.payload.state) });
          }
          break;
        case 'error':
          blocks.push({ type: 'error', text: redact(e.payload.message) });
          break;
        case 'provider_error': {
          const headline = providerErrorHeadline(e.payload);
          blocks.push({ type: 'error', text: redact(e.payload.retry ? headline : `${headline}. What to do: ${e.payload.advice}`) });
          break;
        }
        default:
          break; // policy decisions, terminal bytes and raw agent lines: in the JSON export only
      }
    }
  };
  return { add, blocks };
}

function pickUsage(u: { costUsd: number | null; inputTokens: number; outputTokens: number; durationMs: number | null }) {
  return { costUsd: u.costUsd, inputTokens: u.inputTokens, outputTokens: u.outputTokens, durationMs: u.durationMs };
}

/** A payload with every string in it redacted (keys kept). */
export function redactDeep(value: unknown, redact: Redactor): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)]));
  }
  return value;
}
