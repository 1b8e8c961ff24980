/**
 * The real Messages API's rules for the `messages` array, so that a client that builds a
 * conversation the real API would refuse gets the same 400 here:
 * - at least one message; each an object with a role and a string or block-list content;
 * - user and assistant turns alternate, starting with the user;
 * - no empty content (except a final assistant prefill) and no empty text block;
 * - every `tool_use` of an assistant turn is answered by a `tool_result` with its id in the next
 *   turn, and every `tool_result` answers a `tool_use` of the turn before.
 * Messages are named by their position in the array (`messages.3`), as the real API does.
 *
 * `role:"system"` entries are accepted and skipped: the pinned CLI sends its environment block
 * that way (protocol reference §7) and the real API takes it, so they take no part in the turn
 * order or in tool pairing.
 */
import { invalidRequest, type ApiProblem } from './api-error.ts';

type Block = Record<string, unknown>;

/** The string fields each block type needs (other block types are taken as they are). */
const REQUIRED_STRINGS: Readonly<Record<string, readonly string[]>> = {
  text: ['text'],
  tool_use: ['id', 'name'],
  tool_result: ['tool_use_id'],
};

interface Turn {
  /** Position in the `messages` array. */
  at: number;
  role: 'user' | 'assistant';
  blocks: Block[];
}

/** The first rule `messages` breaks, or null when the real API would take it. */
export function checkMessages(messages: readonly unknown[]): ApiProblem | null {
  if (messages.length === 0) return invalidRequest('messages: at least one message is required');
  const turns: Turn[] = [];
  for (const [at, message] of messages.entries()) {
    const read = readMessage(message, at);
    if ('status' in read) return read;
    if (read.role !== 'system') turns.push({ at, role: read.role, blocks: read.blocks });
  }
  return checkOrder(turns) ?? checkContent(turns) ?? checkToolPairs(turns);
}

function readMessage(message: unknown, at: number): ApiProblem | { role: 'user' | 'assistant' | 'system'; blocks: Block[] } {
  if (!isRecord(message)) return invalidRequest(`messages.${at}: Input should be a valid dictionary`);
  const role = message['role'];
  if (role !== 'user' && role !== 'assistant' && role !== 'system') {
    return invalidRequest(`messages.${at}.role: Input should be 'user' or 'assistant'`);
  }
  const content = message['content'];
  if (content === undefined) return invalidRequest(`messages.${at}.content: Field required`);
  if (typeof content === 'string') return { role, blocks: content === '' ? [] : [{ type: 'text', text: content }] };
  if (!Array.isArray(content)) return invalidRequest(`messages.${at}.content: Input should be a valid string or a valid list`);
  for (const [index, block] of content.entries()) {
    const bad = checkBlock(block, `messages.${at}.content.${index}`);
    if (bad !== null) return bad;
  }
  return { role, blocks: content as Block[] };
}

function checkBlock(block: unknown, where: string): ApiProblem | null {
  if (!isRecord(block)) return invalidRequest(`${where}: Input should be a valid dictionary`);
  const type = block['type'];
  if (typeof type !== 'string') return invalidRequest(`${where}.type: Field required`);
  for (const field of REQUIRED_STRINGS[type] ?? []) {
    if (typeof block[field] !== 'string') return invalidRequest(`${where}.${type}.${field}: Field required`);
  }
  if (type === 'tool_use' && !isRecord(block['input'])) return invalidRequest(`${where}.tool_use.input: Input should be a valid dictionary`);
  if (type === 'text' && block['text'] === '') return invalidRequest('messages: text content blocks must be non-empty');
  return null;
}

function checkOrder(turns: readonly Turn[]): ApiProblem | null {
  if (turns[0]?.role !== 'user') return invalidRequest('messages: first message must use the "user" role');
  for (let i = 1; i < turns.length; i++) {
    const role = turns[i]?.role;
    if (role === turns[i - 1]?.role) {
      return invalidRequest(`messages: roles must alternate between "user" and "assistant", but found multiple "${role}" roles in a row`);
    }
  }
  return null;
}

function checkContent(turns: readonly Turn[]): ApiProblem | null {
  for (const [i, turn] of turns.entries()) {
    const finalAssistant = i === turns.length - 1 && turn.role === 'assistant';
    if (turn.blocks.length === 0 && !finalAssistant) {
      return invalidRequest(`messages.${turn.at}: all messages must have non-empty content except for the optional final assistant message`);
    }
  }
  return null;
}

function checkToolPairs(turns: readonly Turn[]): ApiProblem | null {
  for (const [i, turn] of turns.entries()) {
    if (turn.role === 'assistant') {
      const answered = new Set(idsOf(turns[i + 1], 'tool_result', 'tool_use_id'));
      const missing = idsOf(turn, 'tool_use', 'id').filter((id) => !answered.has(id));
      if (missing.length > 0) {
        return invalidRequest(
          `messages.${turn.at}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. ` +
            'Each `tool_use` block must have a corresponding `tool_result` block in the next message.',
        );
      }
      continue;
    }
    const asked = new Set(idsOf(turns[i - 1], 'tool_use', 'id'));
    for (const [index, block] of turn.blocks.entries()) {
      if (block['type'] !== 'tool_result' || asked.has(String(block['tool_use_id']))) continue;
      return invalidRequest(
        `messages.${turn.at}.content.${index}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block['tool_use_id'])}. ` +
          'Each `tool_result` block must have a corresponding `tool_use` block in the previous message.',
      );
    }
  }
  return null;
}

function idsOf(turn: Turn | undefined, type: string, field: string): string[] {
  return (turn?.blocks ?? []).filter((b) => b['type'] === type).map((b) => String(b[field]));
}

function isRecord(value: unknown): value is Block {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
