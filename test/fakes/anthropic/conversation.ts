/**
 * Reads the `messages` array the CLI sends and answers the questions the fake model needs:
 * what did the user last ask, how many tools has the model called since, and what did the
 * last tool return.
 */
import { hasDirective } from './script.ts';

/** A `tool_result` the CLI sent back, with the name of the tool that produced it. */
export interface ToolResultView {
  toolUseId: string;
  toolName: string;
  isError: boolean;
  text: string;
}

/** What the fake model needs to know about a conversation to pick its next response. */
export interface ConversationView {
  /** The directive-bearing text of the latest user prompt, or null when there is none. */
  prompt: string | null;
  /** `tool_use` blocks the model emitted since that prompt. */
  toolUsesSincePrompt: number;
  /** The last tool result, when the latest user message continues the turn with tool results. */
  lastToolResult: ToolResultView | null;
}

type Block = Record<string, unknown>;

// The CLI injects context as `<system-reminder>` text (its own blocks, or inline in a string)
// and marks interrupts with `[Request interrupted by user…]`: neither is what the user typed,
// so neither may be mistaken for a directive, an echo, or the start of a new prompt.
const REMINDER = /<system-reminder>[\s\S]*?<\/system-reminder>/g;
const INTERRUPT_MARKER = /^\[Request interrupted by user[^\]]*\]$/;

/** Builds the view of a request's `messages` (anything malformed is treated as absent). */
export function readConversation(messages: unknown): ConversationView {
  const list = Array.isArray(messages) ? messages.filter(isRecord) : [];
  // `role:"system"` entries (the environment block) are not part of the turn structure.
  const turns = list.filter((m) => m['role'] === 'user' || m['role'] === 'assistant');
  let promptAt = -1;
  let prompt: string | null = null;
  for (let i = turns.length - 1; i >= 0; i--) {
    const message = turns[i];
    if (message === undefined || message['role'] !== 'user') continue;
    // A message of only tool results continues the turn. One that also carries typed text is a
    // new prompt: after an interrupt the CLI appends the next prompt to the rejected tool result.
    const picked = pickPromptText(userTexts(contentBlocks(message['content'])));
    if (picked === null) continue;
    promptAt = i;
    prompt = picked;
    break;
  }
  let toolUsesSincePrompt = 0;
  for (const message of turns.slice(promptAt + 1)) {
    if (message['role'] !== 'assistant') continue;
    toolUsesSincePrompt += contentBlocks(message['content']).filter((b) => b['type'] === 'tool_use').length;
  }
  const continuing = promptAt !== turns.length - 1;
  return { prompt, toolUsesSincePrompt, lastToolResult: continuing ? lastToolResult(turns) : null };
}

/**
 * Every `tool_result` in `messages`, oldest first: what the model was told about each tool call
 * (a deny message, an AskUserQuestion answer, a command's output). For test assertions.
 */
export function toolResultsIn(messages: unknown): ToolResultView[] {
  const turns = Array.isArray(messages) ? messages.filter(isRecord) : [];
  return turns.flatMap((message) =>
    message['role'] !== 'user'
      ? []
      : contentBlocks(message['content'])
          .filter((b) => b['type'] === 'tool_result')
          .map((b) => toolResultView(turns, b)),
  );
}

function lastToolResult(turns: readonly Block[]): ToolResultView | null {
  const last = turns.at(-1);
  if (last === undefined || last['role'] !== 'user') return null;
  const result = contentBlocks(last['content']).findLast((b) => b['type'] === 'tool_result');
  return result === undefined ? null : toolResultView(turns, result);
}

function toolResultView(turns: readonly Block[], result: Block): ToolResultView {
  const toolUseId = typeof result['tool_use_id'] === 'string' ? result['tool_use_id'] : '';
  return {
    toolUseId,
    toolName: toolNameOf(turns, toolUseId),
    isError: result['is_error'] === true,
    text: resultText(result['content']),
  };
}

function toolNameOf(turns: readonly Block[], toolUseId: string): string {
  for (let i = turns.length - 1; i >= 0; i--) {
    const message = turns[i];
    if (message === undefined || message['role'] !== 'assistant') continue;
    const use = contentBlocks(message['content']).find((b) => b['type'] === 'tool_use' && b['id'] === toolUseId);
    if (use !== undefined && typeof use['name'] === 'string') return use['name'];
  }
  return 'unknown';
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  return contentBlocks(content)
    .map((b) => (b['type'] === 'text' && typeof b['text'] === 'string' ? b['text'] : ''))
    .filter((t) => t !== '')
    .join('\n');
}

function userTexts(blocks: readonly Block[]): string[] {
  return blocks
    .map((b) => (b['type'] === 'text' && typeof b['text'] === 'string' ? b['text'].replace(REMINDER, '').trim() : ''))
    .filter((t) => t !== '' && !INTERRUPT_MARKER.test(t));
}

/**
 * After an interrupt the CLI merges the interrupted prompt and the next one into one user
 * message, so the latest directive-bearing text wins; without directives, the latest text.
 */
function pickPromptText(texts: readonly string[]): string | null {
  return texts.findLast(hasDirective) ?? texts.at(-1) ?? null;
}

function contentBlocks(content: unknown): Block[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? content.filter(isRecord) : [];
}

function isRecord(value: unknown): value is Block {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
