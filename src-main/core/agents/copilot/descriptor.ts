import { acpDescriptor } from '../acp/descriptor.ts';

/**
 * GitHub Copilot CLI over ACP (`copilot --acp`); pinned and tested as @github/copilot 1.0.102 in
 * BYOK mode against a local Chat Completions fake (acp/PROTOCOL.md, "Copilot").
 */
export const copilotDescriptor = acpDescriptor({
  id: 'copilot',
  displayName: 'GitHub Copilot CLI',
  defaultBin: 'copilot',
  acpArgs: ['--acp'],
  installHint: 'npm i -g @github/copilot',
  tested: true,
});
