export { createCodexRunner, CODEX_CAPABILITIES, type CodexRunnerOptions } from './codex-runner.ts';
export { translateNotification, commandPermission, fileChangePermission, newTranslateState, TOOL_RESULT_MAX_CHARS, type TranslateState } from './translate.ts';
export { shellAction, commandAction, fileChangeAction } from './action.ts';
