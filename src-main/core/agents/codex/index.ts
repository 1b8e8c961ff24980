export { translateNotification, commandPermission, fileChangePermission, newTranslateState, TOOL_RESULT_MAX_CHARS, type TranslateState } from './translate.ts';
export { fileChangeAction } from './action.ts';
