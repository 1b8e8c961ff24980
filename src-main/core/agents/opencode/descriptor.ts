import { acpDescriptor } from '../acp/descriptor.ts';
import { opencodeRunEnv } from './ask-permissions.ts';

/**
 * OpenCode over ACP (`opencode acp`); pinned and tested as opencode-ai 1.18.33 (acp/PROTOCOL.md).
 * Each run's permissions make its reads, edits, commands and fetches ask (ask-permissions.ts).
 */
export const opencodeDescriptor = acpDescriptor({
  id: 'opencode',
  displayName: 'OpenCode',
  defaultBin: 'opencode',
  acpArgs: ['acp'],
  installHint: 'npm i -g opencode-ai',
  tested: true,
  prepareEnv: opencodeRunEnv,
  asksAboutEveryCall: true,
});
