/**
 * A scripted fake of the Anthropic Messages API for driving the real `claude` CLI offline.
 * Start it, point the CLI at `url` (see `test/helpers/claude-env.ts`), and write directives
 * (`SAY:`, `RUN:`, `TOOL:`, `SLOW:`, `HANG:`, `FAIL:`, `BREAK:`) into the user prompt. It refuses
 * what the real API refuses (key, `anthropic-version`, body fields, the conversation's rules).
 */
export {
  startFakeAnthropic,
  FakeAnthropicWaitError,
  FAKE_API_KEY,
  type FakeAnthropic,
  type RecordedMessage,
  type RecordedRequest,
} from './server.ts';
export { toolResultsIn, readConversation } from './conversation.ts';
export { decideReply, RUN_DESCRIPTION, RUN_PREAMBLE, type Reply } from './decide.ts';
export { parseScript, planScript, ScriptError } from './script.ts';
export { streamFrames } from './sse.ts';
