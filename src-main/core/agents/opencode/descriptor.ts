import { acpDescriptor } from '../acp/descriptor.ts';

/** OpenCode over ACP (`opencode acp`); pinned and tested as opencode-ai 1.18.33 (acp/PROTOCOL.md). */
export const opencodeDescriptor = acpDescriptor({
  id: 'opencode',
  displayName: 'OpenCode',
  defaultBin: 'opencode',
  acpArgs: ['acp'],
  installHint: 'npm i -g opencode-ai',
  tested: true,
});
