import { acpDescriptor } from '../acp/descriptor.ts';
import { qwenRunEnv } from './ask-settings.ts';

/**
 * Qwen Code over ACP (`qwen --acp`); pinned and tested as @qwen-code/qwen-code 0.24.4 with its
 * OpenAI-compatible provider against a local Chat Completions fake (acp/PROTOCOL.md, "Qwen Code").
 * Each run gets system settings under which its edits ask (ask-settings.ts).
 */
export const qwenDescriptor = acpDescriptor({
  id: 'qwen',
  displayName: 'Qwen Code',
  defaultBin: 'qwen',
  acpArgs: ['--acp'],
  installHint: 'npm i -g @qwen-code/qwen-code',
  tested: true,
  // Reads, edits, commands and fetches it would run on its own ask instead (ask-settings.ts).
  prepareEnv: qwenRunEnv,
  asksAboutEveryCall: true,
});
