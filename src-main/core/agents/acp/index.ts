export { createAcpRunner, ACP_CAPABILITIES, type AcpRunnerOptions } from './acp-runner.ts';
export { acpDescriptor, declaredAcpAgent, type AcpAgentSpec } from './descriptor.ts';
export { createAcpTranslator, usageOf, TOOL_RESULT_MAX_CHARS, type AcpTranslator } from './translate.ts';
export { acpAction, mergeToolCall, newToolCall, type AcpToolCall } from './action.ts';
export { permissionOutcome, CANCELLED, type AcpOutcome, type AcpPermissionOption } from './decision.ts';
