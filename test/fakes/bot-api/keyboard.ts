import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { BotApiError, TELEGRAM_ERRORS, badRequest } from './errors.ts';
import type { Params } from './params.ts';

/** Telegram's per-message ceilings for inline keyboards. */
const KEYBOARD_LIMITS = { callbackDataBytes: 64, buttons: 100 } as const;

const ACTION_FIELDS = [
  'url',
  'callback_data',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
] as const;

/**
 * The `reply_markup` of a send or edit, checked like Telegram checks it. Returns the inline keyboard
 * to store on the message (Telegram stores none for an empty keyboard or a reply keyboard, which
 * lives in the user's client instead).
 */
export function readReplyMarkup(params: Params, inlineOnly: boolean): InlineKeyboardMarkup | undefined {
  const markup = params.optionalJson('reply_markup', "can't parse reply keyboard markup JSON object");
  if (markup === undefined) return undefined;
  if (typeof markup !== 'object' || markup === null) throw badRequest("can't parse reply keyboard markup JSON object");
  const keyboard = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (keyboard === undefined) {
    const other = markup as Record<string, unknown>;
    const isReplyKeyboard = other.keyboard !== undefined || other.remove_keyboard !== undefined || other.force_reply !== undefined;
    if (inlineOnly || !isReplyKeyboard) throw badRequest("can't parse reply keyboard markup JSON object");
    return undefined;
  }
  if (!Array.isArray(keyboard) || !keyboard.every((row) => Array.isArray(row))) {
    throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
  }
  const rows = (keyboard as unknown[][]).map((row) => row.map(checkButton)).filter((row) => row.length > 0);
  if (rows.flat().length > KEYBOARD_LIMITS.buttons) throw badRequest('reply markup is too long');
  return rows.length === 0 ? undefined : { inline_keyboard: rows };
}

function checkButton(button: unknown): InlineKeyboardButton {
  if (typeof button !== 'object' || button === null) {
    throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  }
  const fields = button as Record<string, unknown>;
  if (typeof fields.text !== 'string') {
    throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
  }
  const actions = ACTION_FIELDS.filter((name) => fields[name] !== undefined);
  if (actions.length === 0) {
    throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  }
  const data = fields.callback_data;
  if (data !== undefined) {
    // The limit is in bytes of UTF-8, not characters: a 33-character Cyrillic payload is too long.
    const bytes = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : 0;
    if (bytes < 1 || bytes > KEYBOARD_LIMITS.callbackDataBytes) throw new BotApiError(400, TELEGRAM_ERRORS.buttonDataInvalid);
  }
  const url = fields.url;
  if (url !== undefined && (typeof url !== 'string' || !isButtonUrl(url))) throw badRequest('BUTTON_URL_INVALID');
  return button as InlineKeyboardButton;
}

function isButtonUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return ['http:', 'https:', 'tg:'].includes(parsed.protocol);
  } catch {
    return false;
  }
}

/** Whether a message's keyboard offers this callback_data (what a real Telegram client can send). */
export function hasCallbackButton(markup: InlineKeyboardMarkup | undefined, data: string): boolean {
  return markup?.inline_keyboard.some((row) => row.some((b) => 'callback_data' in b && b.callback_data === data)) ?? false;
}
