export { translateClaudeLine, newTranslateState, TOOL_RESULT_MAX_CHARS } from './translate.ts';
