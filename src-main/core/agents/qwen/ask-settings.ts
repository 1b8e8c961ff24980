/**
 * Qwen Code runs what it judges harmless without asking: reads, read-only shell commands (`cat`,
 * `ls`, `grep -r`), and an edit to a file it has read. Over ACP those calls would reach Reins only
 * after the fact, so `cat <data dir>/runtime.json` would hand the API token to the model. Every run
 * Reins starts therefore gets system settings that put Qwen's reads, edits, commands, fetches,
 * searches and sub-agents in `permissions.ask` (rules Qwen weighs above any allow rule): each such
 * call becomes a permission request, which Reins' policy answers itself when it is harmless, denies
 * when it reaches Reins, and otherwise hands to the owner. The file is the machine's own system
 * settings plus those rules, so an administrator's settings stay in force; Qwen reads it from
 * QWEN_CODE_SYSTEM_SETTINGS_PATH (an operator-only variable a project's `.env` cannot set).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

/** The variable that names Qwen's system settings file. */
export const QWEN_SYSTEM_SETTINGS_ENV = 'QWEN_CODE_SYSTEM_SETTINGS_PATH';
/**
 * Rules that always ask, whatever the owner's or the project's settings allow: Qwen's rule names for
 * its file reads and searches, edits and writes, shell, web fetch and search, and sub-agents.
 */
const ALWAYS_ASK = ['Read', 'Edit', 'Bash', 'WebFetch', 'WebSearch', 'Agent'];
const FILE_NAME = 'system-settings.json';

/** Where Qwen Code looks for system settings on `platform` without the variable (its own defaults). */
function defaultSystemSettings(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return '/Library/Application Support/QwenCode/settings.json';
  if (platform === 'win32') return 'C:\\ProgramData\\qwen-code\\settings.json';
  return '/etc/qwen-code/settings.json';
}

/** `settings` (the parsed system settings, or null when there are none) with the ask rules added. */
export function withAskRules(settings: Record<string, unknown> | null): Record<string, unknown> {
  const out = { ...settings };
  const permissions = typeof out.permissions === 'object' && out.permissions !== null ? { ...(out.permissions as Record<string, unknown>) } : {};
  const ask = Array.isArray(permissions.ask) ? permissions.ask.filter((r): r is string => typeof r === 'string') : [];
  permissions.ask = [...ask, ...ALWAYS_ASK.filter((r) => !ask.includes(r))];
  out.permissions = permissions;
  return out;
}

/** Reads the system settings Qwen would otherwise use; null when there is no such file. */
function readSystemSettings(path: string): Record<string, unknown> | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read Qwen Code's system settings at ${path}: ${(err as Error).message}`);
  }
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(
      `Qwen Code's system settings at ${path} are not a JSON object (${errors[0] ? printParseErrorCode(errors[0].error) : 'not an object'}); fix the file`,
    );
  return value as Record<string, unknown>;
}

/**
 * The environment of one Qwen run: `env` with QWEN_CODE_SYSTEM_SETTINGS_PATH naming a file in
 * `stateDir` that holds the machine's system settings plus the ask rules. Throws (and the run does
 * not start) when the machine's settings cannot be read.
 */
export function qwenRunEnv(env: Record<string, string>, stateDir: string, platform: NodeJS.Platform = process.platform): Record<string, string> {
  const file = join(stateDir, FILE_NAME);
  const configured = env[QWEN_SYSTEM_SETTINGS_ENV];
  // Our own file (a Reins run inside a Reins-started agent) is not the machine's settings.
  const source = configured && configured !== file ? configured : defaultSystemSettings(platform);
  const settings = withAskRules(readSystemSettings(source));
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  // Written whole and renamed into place: two runs starting together never read half a file.
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temp, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, file);
  return { ...env, [QWEN_SYSTEM_SETTINGS_ENV]: file };
}
