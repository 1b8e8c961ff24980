import type { ApiErrorBody } from '../contract/index.ts';
import { homePaths } from '../core/host/paths.ts';
import { readRuntimeFile, runtimeAlive, type RuntimeInfo } from '../surfaces/api/index.ts';

/** The CLI could not reach a running core, or the core refused the request. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** A small client of the loopback API, found through `<home>/runtime.json`. */
export function createApiClient(home: string) {
  const info: RuntimeInfo | undefined = readRuntimeFile(homePaths(home).runtime);
  if (!info) throw new CliError(`No Reins core is running for ${home}. Start one with \`reins daemon\` (or \`npm start\`), or pass --home.`);
  if (!runtimeAlive(info)) {
    throw new CliError(`No Reins core is running for ${home} (the one that ran as pid ${info.pid} stopped without cleaning up). Start one with \`reins daemon\` (or \`npm start\`).`);
  }
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(`${info.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${info.token}`, 'x-reins-surface': 'cli', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new CliError(`The Reins core at ${info.url} (pid ${info.pid}) does not answer. If it crashed, start it again with \`reins daemon\`.`);
    }
    const json = (await res.json().catch(() => ({}))) as T | ApiErrorBody;
    if (!res.ok) {
      const err = (json as ApiErrorBody).error;
      throw new CliError(err ? `${err.message} (${err.code})` : `HTTP ${res.status}`);
    }
    return json as T;
  };
  return {
    info,
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body: unknown = {}) => call<T>('POST', path, body),
    del: <T>(path: string) => call<T>('DELETE', path),
  };
}
export type ApiClient = ReturnType<typeof createApiClient>;
