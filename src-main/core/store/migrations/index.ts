import type { Migration } from '../migrate.ts';
import { migration0010 } from './0010-initial.ts';

/** Every migration, oldest first. Append only: never edit or reorder a shipped one. */
export const MIGRATIONS: readonly Migration[] = [migration0010];
