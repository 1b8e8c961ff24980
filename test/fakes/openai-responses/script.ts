/**
 * What the fake model answers, decided from the conversation Codex sends (`body.input`): the last
 * user message holding a directive says what to do; once a tool output follows it, the model
 * reports that output (and any user text that arrived after it, e.g. a steer) and ends the turn.
 *
 * Directives (one per prompt, first line):
 * - `SAY: text` — a text answer.
 * - `SLOW: <ms> text` — a text answer streamed over `ms` milliseconds (to interrupt it).
 * - `RUN: cmd` — an `exec_command` call in the sandbox's default permissions.
 * - `ESCALATE: cmd` — an `exec_command` call asking to run outside the sandbox (`require_escalated`).
 * - `PATCH:` — an `apply_patch` custom tool call whose input is the rest of the prompt.
 */

/** One input item as Codex sends it (Responses API). */
export type InputItem = Record<string, unknown>;

export type Reply =
  | { kind: 'text'; text: string; streamMs: number }
  | { kind: 'function_call'; name: string; arguments: Record<string, unknown> }
  | { kind: 'custom_tool_call'; name: string; input: string };

/** A request the script cannot answer (a test bug): the fake refuses it with a 400. */
export class ScriptError extends Error {
  override readonly name = 'ScriptError';
}

const DIRECTIVE = /^(SAY|SLOW|RUN|ESCALATE|PATCH):[ \t]?/;

/** The text of a message item (`input_text`/`output_text` parts joined). */
export function messageText(item: InputItem): string {
  const content = item['content'];
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((p) => (typeof p === 'object' && p !== null && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : ''))
    .join('');
}

/** The text of a tool output item (`output` is a string or a list of content parts). */
export function toolOutputText(item: InputItem): string {
  const output = item['output'];
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return output.map((p) => (typeof p === 'object' && p !== null ? String((p as { text?: unknown }).text ?? '') : '')).join('');
  return JSON.stringify(output ?? null);
}

const isUser = (item: InputItem): boolean => item['type'] === 'message' && item['role'] === 'user';
const isToolOutput = (item: InputItem): boolean => item['type'] === 'function_call_output' || item['type'] === 'custom_tool_call_output';

/** Decides the reply to one request's `input`. */
export function decideReply(input: readonly InputItem[]): Reply {
  const at = input.findLastIndex((item) => isUser(item) && DIRECTIVE.test(messageText(item).trimStart()));
  if (at < 0) throw new ScriptError('The fake model found no directive (SAY:, SLOW:, RUN:, ESCALATE:, PATCH:) in any user message.');
  const after = input.slice(at + 1);
  const lastOutput = after.findLastIndex(isToolOutput);
  if (lastOutput >= 0) {
    const later = after
      .slice(lastOutput + 1)
      .filter(isUser)
      .map(messageText);
    const said = later.length ? ` | user: ${later.join(' | ')}` : '';
    return { kind: 'text', text: `DONE: ${toolOutputText(after[lastOutput]!)}${said}`, streamMs: 0 };
  }
  const prompt = messageText(input[at]!).trimStart();
  const match = DIRECTIVE.exec(prompt)!;
  const rest = prompt.slice(match[0].length);
  switch (match[1]) {
    case 'SAY':
      return { kind: 'text', text: rest.trim(), streamMs: 0 };
    case 'SLOW': {
      const m = /^(\d+)\s+([\s\S]*)$/.exec(rest);
      if (!m) throw new ScriptError('SLOW: needs a duration in ms and a text ("SLOW: 3000 text").');
      return { kind: 'text', text: m[2]!.trim(), streamMs: Number(m[1]) };
    }
    case 'RUN':
    case 'ESCALATE': {
      const escalate = match[1] === 'ESCALATE';
      return {
        kind: 'function_call',
        name: 'exec_command',
        arguments: {
          cmd: rest.trim(),
          sandbox_permissions: escalate ? 'require_escalated' : 'use_default',
          ...(escalate ? { justification: 'The fake model needs this outside the sandbox' } : {}),
        },
      };
    }
    default:
      return { kind: 'custom_tool_call', name: 'apply_patch', input: rest.replace(/^\n/, '') };
  }
}
