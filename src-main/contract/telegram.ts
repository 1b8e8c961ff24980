/**
 * The Telegram bridge as clients see it (`GET /telegram/status`, `POST /telegram/pair`,
 * `PUT /telegram/token`): types only, shared by the bridge, the CLI and the settings screen.
 */

/** Where the bridge stands, as `GET /api/v1/telegram/status` and `reins telegram status` show it. */
export interface TelegramStatus {
  /**
   * - `starting`: reading the token and asking Telegram who the bot is.
   * - `unconfigured`: no token (run `reins telegram setup`).
   * - `waiting_for_owner`: token fine, but no owner and no pairing: the bot does not poll.
   * - `pairing`: polling, waiting for `/start <code>` from the deep link.
   * - `running`: polling for the owner.
   * - `failed`: see `error`.
   * - `stopped`: the core is shutting down.
   */
  readonly state: 'starting' | 'unconfigured' | 'waiting_for_owner' | 'pairing' | 'running' | 'failed' | 'stopped';
  readonly bot: { readonly id: number; readonly username: string } | null;
  readonly ownerId: number | null;
  readonly ownerSource: 'config' | 'pairing' | null;
  readonly pairingExpiresAt: number | null;
  /** Where the token was found: `REINS_TELEGRAM_TOKEN`, the OS keychain, or the 0600 secrets file. */
  readonly tokenSource: 'env' | 'keychain' | 'file' | null;
  /** The forum supergroup whose topics carry one session each; null for the private chat. */
  readonly forumChatId: number | null;
  readonly apiRoot: string;
  readonly error: string | null;
}

/** What `reins telegram pair` and `POST /api/v1/telegram/pair` hand out. */
export interface PairingInfo {
  /** The deep link to open on the phone (also shown as a QR code). */
  readonly link: string;
  /** The code inside the link (what `/start <code>` carries). */
  readonly code: string;
  /** Epoch ms after which the code is refused. */
  readonly expiresAt: number;
}
