/**
 * Calls of the loopback API the frame's screens make that the shared client has no typed method for
 * (terminal keystrokes and size, the Telegram bridge), through its generic `request`.
 */
import type { TelegramTokenBody } from '../../src-main/contract/api.ts';
import type { PairingInfo, TelegramStatus } from '../../src-main/contract/telegram.ts';
import type { ApiClient } from '../../src-main/client/api-client.ts';

const path = (sessionId: string, what: string): string => `/sessions/${encodeURIComponent(sessionId)}/${what}`;

/** Raw keystrokes for a terminal session. */
export function sendTerminalInput(api: ApiClient, sessionId: string, data: string): Promise<{ ok: true }> {
  return api.request('POST', path(sessionId, 'input'), { data });
}

/** The terminal's size in character cells. */
export function sendTerminalSize(api: ApiClient, sessionId: string, cols: number, rows: number): Promise<{ ok: true }> {
  return api.request('POST', path(sessionId, 'resize'), { cols, rows });
}

/** Where the Telegram bridge stands. */
export async function telegramStatus(api: ApiClient): Promise<TelegramStatus> {
  return (await api.request<{ status: TelegramStatus }>('GET', '/telegram/status')).status;
}

/** A new one-time pairing link. */
export function pairTelegram(api: ApiClient): Promise<PairingInfo> {
  return api.request('POST', '/telegram/pair', {});
}

/** Stores a bot token (checked by the core with Telegram first); answers the new status. */
export async function setTelegramToken(api: ApiClient, token: string): Promise<TelegramStatus> {
  const body: TelegramTokenBody = { token };
  return (await api.request<{ status: TelegramStatus }>('PUT', '/telegram/token', body)).status;
}

/** What an agent's executable says its version is; null when not installed or it does not say. */
export async function agentVersion(api: ApiClient, agentId: string): Promise<string | null> {
  return (await api.request<{ version: string | null }>('GET', `/agents/${encodeURIComponent(agentId)}/version`)).version;
}
