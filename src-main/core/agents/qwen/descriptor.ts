import { acpDescriptor } from '../acp/descriptor.ts';

/** Qwen Code over ACP (`qwen --acp`). Not run by Reins' tests (acp/PROTOCOL.md, "Qwen Code"). */
export const qwenDescriptor = acpDescriptor({
  id: 'qwen',
  displayName: 'Qwen Code',
  defaultBin: 'qwen',
  acpArgs: ['--acp'],
  installHint: 'npm i -g @qwen-code/qwen-code',
  tested: false,
});
