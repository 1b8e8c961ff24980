/**
 * The directive language tests write into a user prompt to script the fake Gemini API and the fake
 * Chat Completions API (the Anthropic fake has its own, richer one). The first line holding a
 * directive decides the model's first answer of the turn:
 * - `SAY: <text>` — text.
 * - `RUN: <command>` — a call of the agent's shell tool with that command.
 * - `READ: <path>` — a call of the agent's file read tool.
 * - `WRITE: <path> :: <content>` — a call of the agent's whole-file write tool.
 * - `EDIT: <path> :: <old> :: <new>` — a call of the agent's replace-in-file tool.
 * - `SLOW: <ms> <text>` — the text streamed in 10 pieces spread over <ms>.
 * Without a directive the model echoes the prompt (`ECHO: <prompt>`). Once a tool result is the
 * last thing in the conversation, the model answers `FAKE-DONE: <result>` and the turn ends.
 */

/** What the model does in its first answer of a turn. */
export type Directive =
  | { kind: 'say'; text: string }
  | { kind: 'slow'; ms: number; text: string }
  | { kind: 'run'; command: string }
  | { kind: 'read'; path: string }
  | { kind: 'write'; path: string; content: string }
  | { kind: 'edit'; path: string; oldText: string; newText: string };

/** A directive line the fake cannot carry out; the fake answers 400 so that the test fails loudly. */
export class DirectiveError extends Error {
  override readonly name = 'DirectiveError';
  constructor(line: string, problem: string) {
    super(`Fake model directive error in "${line}": ${problem}. Fix the directive in the test prompt.`);
  }
}

const DIRECTIVE = /^(SAY|RUN|READ|WRITE|EDIT|SLOW):\s?(.*)$/;

/** The directive of a user prompt (the agent may wrap the prompt in context of its own: any line counts). */
export function parseDirective(prompt: string): Directive {
  for (const line of prompt.split('\n')) {
    const m = DIRECTIVE.exec(line.trim());
    if (m === null) continue;
    const [, word, rest = ''] = m;
    switch (word) {
      case 'SAY':
        return { kind: 'say', text: rest };
      case 'RUN':
        if (rest.trim() === '') throw new DirectiveError(line, 'RUN needs a command');
        return { kind: 'run', command: rest };
      case 'READ':
        if (rest.trim() === '') throw new DirectiveError(line, 'READ needs a path');
        return { kind: 'read', path: rest.trim() };
      case 'WRITE': {
        const [path, content] = rest.split(' :: ');
        if (!path || content === undefined) throw new DirectiveError(line, 'WRITE needs "<path> :: <content>"');
        return { kind: 'write', path, content };
      }
      case 'EDIT': {
        const [path, oldText, newText] = rest.split(' :: ');
        if (!path || oldText === undefined || newText === undefined) throw new DirectiveError(line, 'EDIT needs "<path> :: <old> :: <new>"');
        return { kind: 'edit', path, oldText, newText };
      }
      case 'SLOW': {
        const s = /^(\d+)\s+(.*)$/.exec(rest);
        if (s === null) throw new DirectiveError(line, 'SLOW needs "<ms> <text>"');
        return { kind: 'slow', ms: Number(s[1]), text: s[2] ?? '' };
      }
    }
  }
  return { kind: 'say', text: `ECHO: ${prompt.trim().split('\n').at(-1) ?? ''}` };
}

/** `text` cut into `n` pieces of nearly equal length (never empty pieces). */
export function pieces(text: string, n: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / n));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length ? out : [''];
}

/**
 * The arguments of a file tool, named as the agent's tool declares them: whichever of the known
 * spellings (`file_path`, `filePath`, `path`, `old_string`, `oldString`, …) its schema lists.
 */
export function fileToolArgs(
  properties: Record<string, unknown>,
  values: { path: string; content?: string; oldText?: string; newText?: string },
): Record<string, unknown> {
  const pick = (...names: string[]): string | undefined => names.find((n) => n in properties);
  const out: Record<string, unknown> = {};
  const set = (value: string | undefined, ...names: string[]): void => {
    const name = pick(...names);
    if (value === undefined) return;
    if (name === undefined) throw new DirectiveError(JSON.stringify(values), `the tool declares none of ${names.join(', ')}`);
    out[name] = value;
  };
  set(values.path, 'file_path', 'filePath', 'path', 'absolute_path');
  set(values.content, 'content');
  set(values.oldText, 'old_string', 'oldString', 'old_str');
  set(values.newText, 'new_string', 'newString', 'new_str');
  // Gemini's `replace` also wants an instruction; anything else the schema requires stays missing
  // and the agent's own validation reports it.
  if ('instruction' in properties) out.instruction = 'fake: apply the requested change';
  return out;
}
