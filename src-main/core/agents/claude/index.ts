export { createClaudeRunner, type ClaudeRunnerOptions } from './claude-runner.ts';
export { translateClaudeLine, newTranslateState, TOOL_RESULT_MAX_CHARS, type TranslateState } from './translate.ts';
export { claudeArgs } from './args.ts';
