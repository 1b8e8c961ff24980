/**
 * The in-process `PreToolUse` hook that routes every Claude tool call through Reins' policy.
 * Why: with `--permission-prompt-tool stdio` alone, the CLI only asks about calls it considers risky;
 * read-only shell commands (`cat .env`), reads inside the project and searches run without any
 * request, so Reins never saw them. A hook registered for every tool through the control channel's
 * `initialize` fires before each call, and its answer decides: `allow` runs the call, `deny` refuses
 * it with the reason as the tool result, `ask` hands it to the permission prompt (`can_use_tool`).
 * Verified against the pinned CLI (PROTOCOL.md, "Tool checks").
 */
import type { ToolCheckAnswer } from '../runner.ts';
import { TOOL_CHECK_CALLBACK_ID } from './translate.ts';

/** Request id of the handshake; its response is not awaited (the CLI reads stdin in order). */
export const INITIALIZE_REQUEST_ID = 'reins_initialize';

/** The `initialize` control request: one `PreToolUse` hook with no matcher, so it fires for every tool. */
export function initializeRequest(): unknown {
  return {
    type: 'control_request',
    request_id: INITIALIZE_REQUEST_ID,
    request: { subtype: 'initialize', hooks: { PreToolUse: [{ hookCallbackIds: [TOOL_CHECK_CALLBACK_ID] }] } },
  };
}

/** The hook's answer to one call, in the CLI's hook output format. */
export function toolCheckResponse(requestId: string, answer: ToolCheckAnswer): unknown {
  return {
    type: 'control_response',
    response: {
      subtype: 'success',
      request_id: requestId,
      response: { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: answer.decision, permissionDecisionReason: answer.reason } },
    },
  };
}
