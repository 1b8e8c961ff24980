import { acpDescriptor } from '../acp/descriptor.ts';

/** Gemini CLI over ACP (`gemini --acp`); pinned and tested as @google/gemini-cli 0.61.0 (acp/PROTOCOL.md). */
export const geminiDescriptor = acpDescriptor({
  id: 'gemini',
  displayName: 'Gemini CLI',
  defaultBin: 'gemini',
  acpArgs: ['--acp'],
  installHint: 'npm i -g @google/gemini-cli',
  tested: true,
});
