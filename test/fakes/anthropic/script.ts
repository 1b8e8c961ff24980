/**
 * The directive language a test writes into a user prompt to script the fake model.
 *
 * One directive per line; lines without a directive are ignored when at least one is present,
 * and a prompt with no directive at all is echoed back as if it were `SAY: <prompt>`.
 * - `SAY: <text>` — a text block.
 * - `RUN: <command>` — text "I will run the command." and a `Bash` tool_use
 *   `{command, description: "Run the requested command"}`.
 * - `TOOL: <Name> <json-object>` — text "Calling <Name>." and a tool_use of that tool and input.
 * - `SLOW: <ms> <text>` — a text block streamed in up to 10 deltas spread over <ms>.
 * - `HANG: <ms>` — `message_start`, then silence for <ms>, then the rest of the response.
 * - `FAIL: <status> [times] [retry-after=<s>] [too-long]` — HTTP <status> with an Anthropic error body (every
 *   time, or only the first `times` requests for this step; the CLI retries 5xx/529 up to 10
 *   times), with a `retry-after: <s>` header when given, as the real API sends on 429 and 529
 *   (the pinned CLI then waits that long before it retries). With `too-long` the error says what the
 *   real API says of a conversation over the context window ("prompt is too long: …").
 * - `BREAK: overloaded [times]` — the response starts streaming (`message_start` and the first
 *   delta), then ends with `event: error` carrying an `overloaded_error`, as the real API does
 *   when it is overloaded mid-answer (every time, or only the first `times` requests for this
 *   step). A `stream:false` request gets the HTTP 529 instead: the pinned CLI asks again at once
 *   without streaming, so `BREAK: overloaded` alone ends in 529 retries.
 *
 * - `USAGE: <input> <output>` — every response to this prompt reports these token counts (the
 *   CLI prices them, so the turn's cost follows), instead of the fake's small stand-in figures.
 *
 * Tool steps run in order, one tool_use per model response; the text directives before a tool
 * step go into the same response. Once every tool has returned, the model answers
 * `Tool <Name> finished. is_error=<bool>. Output: <tool_result text>` followed by the directives
 * after the last tool step. The CLI reports a response's last text block as the turn's `result`.
 */

/** One scripted action of the fake model. */
export type Step =
  | { kind: 'say'; text: string }
  | { kind: 'slow'; ms: number; text: string }
  | { kind: 'hang'; ms: number }
  | { kind: 'fail'; status: number; times: number | null; retryAfterS: number | null; message: string | null }
  | { kind: 'break'; error: StreamErrorType; times: number | null }
  | { kind: 'usage'; inputTokens: number; outputTokens: number }
  | { kind: 'run'; command: string }
  | { kind: 'tool'; name: string; input: Record<string, unknown> };

/** The error types a `BREAK:` can end a stream with. */
export type StreamErrorType = 'overloaded_error';

const STREAM_ERRORS: Readonly<Record<string, StreamErrorType>> = { overloaded: 'overloaded_error' };

/** A step that makes the model call a tool (and so ends one model response). */
type ToolStep = Extract<Step, { kind: 'run' | 'tool' }>;

/**
 * A script cut into model responses: `toolTurns[i]` is what the model says in its i-th response,
 * ending with the i-th tool call; `tail` is what it says once every tool has returned.
 */
export interface ScriptPlan {
  toolTurns: Step[][];
  tail: Step[];
}

/** Thrown for a directive line the fake cannot understand; the server answers it with HTTP 400. */
export class ScriptError extends Error {
  override readonly name = 'ScriptError';
  readonly line: string;
  constructor(line: string, problem: string) {
    super(`Fake model script error in line "${line}": ${problem}. Fix the directive in the test prompt.`);
    this.line = line;
  }
}

const DIRECTIVE = /^(SAY|RUN|TOOL|SLOW|HANG|FAIL|BREAK|USAGE):(?:\s(.*))?$/;

/** True when `text` holds at least one directive line; used to pick the directive-bearing prompt. */
export function hasDirective(text: string): boolean {
  return text.split('\n').some((line) => DIRECTIVE.test(line.trim()));
}

/** Parses a prompt into steps; a prompt without directives becomes one `say` echoing it. */
export function parseScript(text: string): Step[] {
  const steps: Step[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const match = DIRECTIVE.exec(line);
    if (match === null) continue;
    steps.push(parseDirective(line, match[1] ?? '', (match[2] ?? '').trim()));
  }
  if (steps.length === 0) steps.push({ kind: 'say', text: text.trim() });
  return steps;
}

/** Cuts steps into one model response per tool call, plus the closing text steps. */
export function planScript(steps: readonly Step[]): ScriptPlan {
  const toolTurns: Step[][] = [];
  let current: Step[] = [];
  for (const step of steps) {
    current.push(step);
    if (isToolStep(step)) {
      toolTurns.push(current);
      current = [];
    }
  }
  return { toolTurns, tail: current };
}

/** True for the steps that produce a `tool_use` block. */
function isToolStep(step: Step): step is ToolStep {
  return step.kind === 'run' || step.kind === 'tool';
}

function parseDirective(line: string, name: string, arg: string): Step {
  switch (name) {
    case 'SAY':
      return { kind: 'say', text: arg };
    case 'RUN':
      if (arg === '') throw new ScriptError(line, 'RUN needs a command');
      return { kind: 'run', command: arg };
    case 'TOOL':
      return parseTool(line, arg);
    case 'SLOW': {
      const [ms, rest] = splitFirst(arg);
      return { kind: 'slow', ms: parseMs(line, ms), text: rest };
    }
    case 'HANG':
      return { kind: 'hang', ms: parseMs(line, arg) };
    case 'FAIL':
      return parseFail(line, arg);
    case 'BREAK': {
      const [kind, times] = splitFirst(arg);
      const error = STREAM_ERRORS[kind];
      if (error === undefined) throw new ScriptError(line, `BREAK needs an error kind (${Object.keys(STREAM_ERRORS).join(', ')})`);
      return { kind: 'break', error, times: times === '' ? null : parseTimes(line, times) };
    }
    case 'USAGE': {
      const [input, output] = arg.split(/\s+/).map(Number);
      if (!Number.isInteger(input) || !Number.isInteger(output) || input! < 0 || output! < 1) {
        throw new ScriptError(line, 'USAGE needs "<input tokens> <output tokens>" (whole numbers, output at least 1)');
      }
      return { kind: 'usage', inputTokens: input!, outputTokens: output! };
    }
    default:
      throw new ScriptError(line, `unknown directive ${name}`);
  }
}

/** What the real API says when the conversation no longer fits the model's context window. */
const TOO_LONG_MESSAGE = 'prompt is too long: 215344 tokens > 200000 maximum';

function parseFail(line: string, arg: string): Step {
  const [status, ...options] = arg.split(/\s+/);
  const code = Number(status);
  if (!Number.isInteger(code) || code < 400 || code > 599) {
    throw new ScriptError(line, 'FAIL needs an HTTP error status (400-599)');
  }
  let times: number | null = null;
  let retryAfterS: number | null = null;
  let message: string | null = null;
  for (const option of options) {
    if (option === 'too-long') {
      message = TOO_LONG_MESSAGE;
      continue;
    }
    const retryAfter = /^retry-after=(.*)$/.exec(option);
    if (retryAfter === null) {
      if (times !== null) throw new ScriptError(line, `FAIL takes [times] [retry-after=<s>] [too-long], got "${option}"`);
      times = parseTimes(line, option);
      continue;
    }
    const seconds = Number(retryAfter[1]);
    if (retryAfter[1] === '' || !Number.isInteger(seconds) || seconds < 0) {
      throw new ScriptError(line, 'retry-after must be a whole number of seconds');
    }
    retryAfterS = seconds;
  }
  return { kind: 'fail', status: code, times, retryAfterS, message };
}

function parseTimes(line: string, value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new ScriptError(line, 'times must be a positive integer');
  return count;
}

function parseTool(line: string, arg: string): Step {
  const [name, json] = splitFirst(arg);
  if (name === '') throw new ScriptError(line, 'TOOL needs a tool name');
  if (json === '') return { kind: 'tool', name, input: {} };
  let input: unknown;
  try {
    input = JSON.parse(json);
  } catch {
    throw new ScriptError(line, 'the TOOL input is not valid JSON');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ScriptError(line, 'the TOOL input must be a JSON object');
  }
  return { kind: 'tool', name, input: input as Record<string, unknown> };
}

function parseMs(line: string, value: string): number {
  const ms = Number(value);
  if (value === '' || !Number.isInteger(ms) || ms < 0) throw new ScriptError(line, 'expected a duration in ms');
  return ms;
}

function splitFirst(value: string): [string, string] {
  const at = value.search(/\s/);
  if (at < 0) return [value, ''];
  return [value.slice(0, at), value.slice(at).trim()];
}
