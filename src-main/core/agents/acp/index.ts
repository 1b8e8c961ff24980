export { acpAction, newToolCall, type AcpToolCall } from './action.ts';
export { createAcpTranslator } from './translate.ts';
export { permissionOutcome } from './decision.ts';
