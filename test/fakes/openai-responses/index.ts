/**
 * A scripted, strict fake of the OpenAI Responses API for driving the real `codex` CLI offline.
 * Point a custom model provider at `baseUrl` (test/helpers/codex-env.ts) and write directives
 * (`SAY:`, `SLOW:`, `RUN:`, `ESCALATE:`, `PATCH:`) into the user prompt (script.ts).
 */
export { startFakeResponses, FAKE_OPENAI_KEY, FAKE_MODEL, type FakeResponses } from './server.ts';
export { messageText, toolOutputText } from './script.ts';
