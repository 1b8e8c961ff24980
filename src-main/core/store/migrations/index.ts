import type { Migration } from '../migrate.ts';
import { migration0010 } from './0010-initial.ts';
import { migration0020 } from './0020-exact-grants-agent-processes.ts';
import { migration0030 } from './0030-normalised-actions.ts';
import { migration0040 } from './0040-adopted-sessions.ts';
import { migration0050 } from './0050-session-names.ts';
import { migration0070 } from './0070-schedules.ts';
import { migration0080 } from './0080-budgets.ts';
import { migration0090 } from './0090-passcode.ts';

/** Every migration, oldest first. Append only: never edit or reorder a shipped one. */
export const MIGRATIONS: readonly Migration[] = [
  migration0010,
  migration0020,
  migration0030,
  migration0040,
  migration0050,
  migration0070,
  migration0080,
  migration0090,
];
