/**
 * A scripted, strict fake of the OpenAI Responses API for driving the real `codex` CLI offline.
 * Point a custom model provider at `baseUrl` (test/helpers/codex-env.ts) and write directives
 * (`SAY:`, `SLOW:`, `RUN:`, `ESCALATE:`, `PATCH:`) into the user prompt.
 */
export { startFakeResponses, FAKE_OPENAI_KEY, FAKE_MODEL, type FakeResponses, type FakeResponsesOptions, type ResponsesRequest } from './server.ts';
export { decideReply, messageText, toolOutputText, ScriptError, type InputItem, type Reply } from './script.ts';
export { responseFrames, sseEvent, type Frame } from './sse.ts';
