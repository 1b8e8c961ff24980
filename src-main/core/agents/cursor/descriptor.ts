import { acpDescriptor } from '../acp/descriptor.ts';

/**
 * Cursor's agent CLI over ACP (`agent acp`). Not installable here (a binary from cursor.com, and it
 * talks only to Cursor's backend), so not run by Reins' tests.
 */
export const cursorDescriptor = acpDescriptor({
  id: 'cursor',
  displayName: 'Cursor Agent',
  defaultBin: 'agent',
  acpArgs: ['acp'],
  installHint: 'curl https://cursor.com/install -fsS | bash',
  tested: false,
});
