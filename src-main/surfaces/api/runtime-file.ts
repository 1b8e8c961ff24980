import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { processIdentity } from '../../core/host/process-identity.ts';

/** What `runtime.json` holds: how local clients (CLI, desktop) reach the running core. */
export interface RuntimeInfo {
  url: string;
  token: string;
  pid: number;
  version: string;
  startedAt: number;
  home: string;
  /** The core process's identity (see processIdentity), so a reused pid is not taken for it. */
  identity?: string | null;
}

/** A fresh bearer token: 256 random bits. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** Writes runtime.json with mode 0600 atomically (never a moment where it is readable by others). */
export function writeRuntimeFile(path: string, info: RuntimeInfo): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

/** Reads runtime.json; undefined when no core has written one. */
export function readRuntimeFile(path: string): RuntimeInfo | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RuntimeInfo;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Whether the core that wrote `info` still runs: its pid is alive and, where the OS tells, is the
 * same process (a pid reused after a crash or reboot is not it).
 */
export function runtimeAlive(info: RuntimeInfo): boolean {
  try {
    process.kill(info.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (!info.identity) return true;
  const now = processIdentity(info.pid);
  return now === null || now === info.identity;
}

/** Removes runtime.json if it is still ours. */
export function removeRuntimeFile(path: string, pid = process.pid): void {
  const info = (() => {
    try {
      return readRuntimeFile(path);
    } catch {
      return undefined;
    }
  })();
  if (info?.pid === pid) rmSync(path, { force: true });
}
