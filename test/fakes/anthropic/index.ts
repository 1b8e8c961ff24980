/**
 * A scripted fake of the Anthropic Messages API for driving the real `claude` CLI offline.
 * Start it, point the CLI at `url` (see `test/helpers/claude-env.ts`), and write directives
 * (`SAY:`, `RUN:`, `TOOL:`, `SLOW:`, `HANG:`, `FAIL:`) into the user prompt.
 */
export {
  startFakeAnthropic,
  FakeAnthropicWaitError,
  type FakeAnthropic,
  type FakeAnthropicOptions,
  type RecordedMessage,
  type RecordedRequest,
} from './server.ts';
export { toolResultsIn, readConversation, type ToolResultView, type ConversationView } from './conversation.ts';
export { decideReply, RUN_DESCRIPTION, RUN_PREAMBLE, type Reply, type ReplyBlock } from './decide.ts';
export { parseScript, planScript, ScriptError, type Step } from './script.ts';
export { sseEvent, streamFrames, messageJson, type Frame } from './sse.ts';
