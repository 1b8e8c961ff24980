import { ApiError, createApiClient as createCoreClient, type StreamHandlers } from '../client/api-client.ts';
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

/** The shared API client for the core found through `<home>/runtime.json`, with the CLI's errors. */
export function createApiClient(home: string) {
  const info: RuntimeInfo | undefined = readRuntimeFile(homePaths(home).runtime);
  if (!info) throw new CliError(`No Reins core is running (data directory ${home}). Start it with \`reins daemon\` or the desktop app.`);
  if (!runtimeAlive(info)) {
    throw new CliError(
      `No Reins core is running for ${home} (the one that ran as pid ${info.pid} stopped without cleaning up). Start one with \`reins daemon\` (or \`npm start\`).`,
    );
  }
  const client = createCoreClient(
    { url: info.url, token: info.token },
    {
      surface: 'cli',
      io: {
        fetch: (input, init) => fetch(input, init),
        openSocket: (url, protocols) => new WebSocket(url, protocols),
      },
    },
  );
  /** The shared client's errors in the CLI's words: what went wrong and what to do, in one line. */
  const call = <T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> =>
    inCliWords(() => client.request<T>(method, path, body));
  const inCliWords = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'network') {
        throw new CliError(`The Reins core at ${info.url} (pid ${info.pid}) does not answer. If it crashed, start it again with \`reins daemon\`.`);
      }
      if (err instanceof ApiError) throw new CliError(`${err.message} (${err.code})`);
      throw err;
    }
  };
  return {
    info,
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body: unknown = {}) => call<T>('POST', path, body),
    put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
    patch: <T>(path: string, body: unknown) => call<T>('PATCH', path, body),
    del: <T>(path: string) => call<T>('DELETE', path),
    /** The core's live stream (events, sessions, approvals as they are committed). */
    stream: (handlers: StreamHandlers) => client.openStream(handlers),
    /** A session's transcript and its file name. */
    exportSession: (id: string, format: 'md' | 'json' | 'html') => inCliWords(() => client.exportSession(id, format)),
  };
}
export type ApiClient = ReturnType<typeof createApiClient>;
