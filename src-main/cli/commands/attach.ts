import type { Session } from '../../contract/index.ts';
import type { ApiClient } from '../client.ts';
import { followSession } from '../follow/follow-session.ts';
import { terminalKeys } from '../follow/terminal-keys.ts';

/**
 * Follows a session in this terminal until it rests or Ctrl-C detaches (the session goes on either
 * way). `fromStart`: the whole log (a session just started), else its latest events.
 */
export function followInTerminal(api: ApiClient, sessionId: string, fromStart: boolean): Promise<number> {
  let onInterrupt!: () => void;
  const detach = new Promise<void>((resolve) => (onInterrupt = resolve));
  // Outside a key prompt Ctrl-C is a signal; inside one (raw mode) it arrives as a key and detaches too.
  // The handler stays until the process exits: started through `bin/reins.js` on an older Node, the same
  // Ctrl-C also arrives forwarded by the parent a moment later, and must not kill the detached client.
  process.on('SIGINT', onInterrupt);
  return followSession({ api, write: (text) => process.stdout.write(text), keys: terminalKeys(process.stdin, process.stdout), detach }, sessionId, fromStart);
}

/** `reins attach ID`: follows a running (or resting) session; any id prefix or name. */
export async function attachCommand(api: ApiClient, idOrName: string): Promise<number> {
  const { session } = await api.get<{ session: Session }>(`/sessions/${encodeURIComponent(idOrName)}`);
  process.stdout.write(`Following ${session.name} (${session.agent}, ${session.state}) in ${session.cwd}; Ctrl-C detaches.\n`);
  return followInTerminal(api, session.id, false);
}
