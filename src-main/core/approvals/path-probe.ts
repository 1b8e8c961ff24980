/**
 * The real-filesystem {@link PathProbe}: the one place approvals touch the disk, and only to
 * follow symlinks. The composition root passes it to classifyToolCall and grantMatches.
 */
import fs from 'node:fs';
import type { PathProbe } from './paths.ts';

/** Follows symlinks with the OS (`realpath(3)` and `readlink(2)`). */
export const fsPathProbe: PathProbe = {
  realpath: (p) => fs.realpathSync.native(p),
  readlink: (p) => fs.readlinkSync(p, 'utf8'),
};
