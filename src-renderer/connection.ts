/**
 * Where the renderer finds the core: always the page's own origin, signed in by the session cookie
 * that a login URL (`reins open`, the daemon's start line, or the desktop app) gave this browser. The
 * page never sees the API token, and no token is ever read from its URL.
 */
import { ApiError, type ApiClient, type ApiConnection } from '../src-main/client/api-client.ts';

/** The browser holds no valid session: the page must be opened through a fresh login URL. */
export class NoConnectionError extends Error {
  override readonly name = 'NoConnectionError';
  constructor() {
    super('This browser is not signed in to Reins (or its sign-in has ended). Run `reins open` to sign in.');
  }
}

/** The connection of a page served by the core: its own origin, no token (the cookie signs the calls). */
export function pageConnection(location: { origin: string }): ApiConnection {
  return { url: location.origin };
}

/** Resolves when `api` is signed in; rejects with {@link NoConnectionError} when the core says it is not. */
export async function ensureSignedIn(api: Pick<ApiClient, 'authSession'>): Promise<void> {
  try {
    await api.authSession();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) throw new NoConnectionError();
    throw error;
  }
}
