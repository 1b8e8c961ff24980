/**
 * Where the renderer finds the core. Inside the desktop app the preload's `window.reins.connection()`
 * answers; in a browser tab served by the daemon the token comes in the URL fragment (`#token=…`, which
 * browsers never send to a server) and the API is the page's own origin.
 */
import type { CoreConnection, DesktopBridge } from '../src-main/contract/desktop.ts';

/** Neither the desktop bridge nor a `#token=` fragment is present: nothing to connect with. */
export class NoConnectionError extends Error {
  override readonly name = 'NoConnectionError';
  constructor() {
    super('No Reins connection: open Reins from the desktop app, or add #token=<token from runtime.json in the data directory> to this URL.');
  }
}

/** The globals {@link resolveConnection} reads (the browser's `window`). */
export interface ConnectionSource {
  reins?: DesktopBridge;
  location: { origin: string; hash: string };
}

/** Resolves the core connection from the desktop bridge or the page URL. */
export async function resolveConnection(source: ConnectionSource): Promise<CoreConnection> {
  if (source.reins) return source.reins.connection();
  const token = new URLSearchParams(source.location.hash.replace(/^#/, '')).get('token');
  if (!token) throw new NoConnectionError();
  return { url: source.location.origin, token };
}
