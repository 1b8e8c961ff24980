/**
 * Decides the fake model's next response from the conversation it was sent.
 * Pure apart from the injected id source and failure ledger, so it is unit-testable.
 */
import { readConversation } from './conversation.ts';
import { parseScript, planScript, type Step, type StreamErrorType } from './script.ts';

/** One content block of a planned response. `streamMs` spreads a text's deltas over that time. */
export type ReplyBlock = { type: 'text'; text: string; streamMs: number } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/**
 * A planned model response, or an HTTP error the fake answers instead. `breakWith` cuts the
 * streamed response short with that error event (`BREAK:`).
 */
export type Reply =
  | {
      kind: 'message';
      blocks: ReplyBlock[];
      stopReason: 'end_turn' | 'tool_use';
      hangMs: number;
      breakWith: StreamErrorType | null;
      /** Token counts a `USAGE:` directive set for every response to the prompt. */
      usage: { inputTokens: number; outputTokens: number } | null;
    }
  | { kind: 'error'; status: number; retryAfterS: number | null; message: string | null };

/**
 * Remembers how often each scripted `FAIL` and `BREAK` has fired, so `FAIL: 529 2` fails twice
 * then goes on.
 */
export interface FailureLedger {
  count(key: string): number;
  add(key: string): void;
}

/** What `decideReply` needs besides the request. */
export interface DecideDeps {
  newToolUseId(): string;
  failures: FailureLedger;
}

/** The text the model says before a `RUN:` tool call (the captures in the reference use it too). */
export const RUN_PREAMBLE = 'I will run the command.';
/** The description the model gives a `RUN:` Bash call. */
export const RUN_DESCRIPTION = 'Run the requested command';

/** Plans the response to a Messages API request body's `messages`. Throws `ScriptError` on a bad script. */
export function decideReply(messages: unknown, deps: DecideDeps): Reply {
  const view = readConversation(messages);
  const script = parseScript(view.prompt ?? '');
  const plan = planScript(script);
  const usageStep = script.find((s) => s.kind === 'usage');
  const usage = usageStep ? { inputTokens: usageStep.inputTokens, outputTokens: usageStep.outputTokens } : null;
  const done = view.toolUsesSincePrompt;
  const steps = plan.toolTurns[done] ?? plan.tail;
  const key = `${view.prompt ?? ''}\u0000${done}`;
  const failure = steps.find((s) => s.kind === 'fail');
  if (failure !== undefined && fires(deps.failures, `${key}\u0000fail`, failure.times)) {
    return { kind: 'error', status: failure.status, retryAfterS: failure.retryAfterS, message: failure.message };
  }
  const cut = steps.find((s) => s.kind === 'break');
  const breakWith = cut !== undefined && fires(deps.failures, `${key}\u0000break`, cut.times) ? cut.error : null;
  const blocks: ReplyBlock[] = [];
  const result = view.lastToolResult;
  if (done >= plan.toolTurns.length && result !== null) {
    const text = `Tool ${result.toolName} finished. is_error=${result.isError}. Output: ${result.text}`;
    blocks.push({ type: 'text', text, streamMs: 0 });
  }
  for (const step of steps) blocks.push(...stepBlocks(step, deps));
  const hangMs = steps.reduce((sum, s) => sum + (s.kind === 'hang' ? s.ms : 0), 0);
  if (blocks.length === 0) blocks.push({ type: 'text', text: hangMs > 0 ? `Waited ${hangMs} ms.` : 'Done.', streamMs: 0 });
  const stopReason = blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
  return { kind: 'message', blocks, stopReason, hangMs, breakWith, usage };
}

/** Whether a scripted failure allowed `times` times (null: always) fires now; counts it if so. */
function fires(ledger: FailureLedger, key: string, times: number | null): boolean {
  if (times !== null && ledger.count(key) >= times) return false;
  ledger.add(key);
  return true;
}

function stepBlocks(step: Step, deps: DecideDeps): ReplyBlock[] {
  switch (step.kind) {
    case 'say':
      return step.text === '' ? [] : [{ type: 'text', text: step.text, streamMs: 0 }];
    case 'slow':
      return [{ type: 'text', text: step.text, streamMs: step.ms }];
    case 'run':
      return [
        { type: 'text', text: RUN_PREAMBLE, streamMs: 0 },
        {
          type: 'tool_use',
          id: deps.newToolUseId(),
          name: 'Bash',
          input: { command: step.command, description: RUN_DESCRIPTION },
        },
      ];
    case 'tool':
      return [
        { type: 'text', text: `Calling ${step.name}.`, streamMs: 0 },
        { type: 'tool_use', id: deps.newToolUseId(), name: step.name, input: step.input },
      ];
    case 'hang':
    case 'fail':
    case 'break':
    case 'usage':
      return [];
  }
}
