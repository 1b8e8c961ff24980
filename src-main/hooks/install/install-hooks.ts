/**
 * `reins hooks install|uninstall`: edits an agent's settings file on disk. Install keeps a copy of the
 * file as it was (`<file>.reins-backup`); uninstall takes out exactly what install added, so that the
 * file is byte-identical to before (or gone, if Reins created it).
 */
import { chmodSync, copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HookSettingsSpec } from './hook-settings.ts';
import { addEntries, hasReinsEntries, removeEntries } from './settings-edit.ts';

export interface HookInstallResult {
  path: string;
  /** False when the hook was already installed as it is now. */
  changed: boolean;
  /** The file did not exist: uninstall will delete it again. */
  created: boolean;
  backupPath: string | null;
}

export interface HookUninstallResult {
  path: string;
  /** False when there was nothing of Reins' to remove. */
  changed: boolean;
  /** The file was Reins' own and is gone. */
  deleted: boolean;
  /** The exact bytes from before the install came back. */
  restored: boolean;
}

export const backupPathOf = (path: string): string => `${path}.reins-backup`;

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Replaces the file in one rename, keeping its permission bits (a settings file may be private). */
function writeAtomically(path: string, text: string): void {
  let mode = 0o644;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    // A new file.
  }
  const tmp = `${path}.reins-${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

/** Adds Reins' hook to the agent's settings, merged with the user's own entries. */
export function installHooks(spec: HookSettingsSpec): HookInstallResult {
  const text = readText(spec.path);
  const backupPath = backupPathOf(spec.path);
  const next = addEntries(text, spec);
  if (next === text) return { path: spec.path, changed: false, created: false, backupPath: readText(backupPath) === null ? null : backupPath };
  if (text === null) {
    // A backup left from another file of this name would be restored over a file Reins created.
    rmSync(backupPath, { force: true });
    mkdirSync(dirname(spec.path), { recursive: true });
  } else if (!hasReinsEntries(text, spec)) {
    copyFileSync(spec.path, backupPath);
  }
  writeAtomically(spec.path, next);
  return { path: spec.path, changed: true, created: text === null, backupPath: text === null ? null : backupPath };
}

/** Removes what {@link installHooks} added. */
export function uninstallHooks(spec: HookSettingsSpec): HookUninstallResult {
  const text = readText(spec.path);
  if (text === null || !hasReinsEntries(text, spec)) return { path: spec.path, changed: false, deleted: false, restored: false };
  const backupPath = backupPathOf(spec.path);
  const backup = readText(backupPath);
  const next = removeEntries(text, backup, spec);
  if (next === null) rmSync(spec.path);
  else writeAtomically(spec.path, next);
  rmSync(backupPath, { force: true });
  return { path: spec.path, changed: true, deleted: next === null, restored: backup !== null && next === backup };
}
