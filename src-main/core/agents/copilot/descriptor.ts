import { acpDescriptor } from '../acp/descriptor.ts';

/**
 * GitHub Copilot CLI over ACP (`copilot --acp`). Not run by Reins' tests: it talks only to GitHub's
 * Copilot service, which cannot be replaced by a local fake (acp/PROTOCOL.md, "Copilot").
 */
export const copilotDescriptor = acpDescriptor({
  id: 'copilot',
  displayName: 'GitHub Copilot CLI',
  defaultBin: 'copilot',
  acpArgs: ['--acp'],
  installHint: 'npm i -g @github/copilot',
  tested: false,
});
