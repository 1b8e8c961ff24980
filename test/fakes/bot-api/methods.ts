import type { MethodHandler } from './method.ts';
import { botMethods } from './methods-bot.ts';
import { chatMethods } from './methods-chats.ts';
import { mediaMethods } from './methods-media.ts';
import { messageMethods } from './methods-messages.ts';

const HANDLERS: Record<string, MethodHandler> = { ...botMethods, ...messageMethods, ...mediaMethods, ...chatMethods };

// Telegram treats method names case-insensitively ("sendmessage" works).
const BY_LOWER_NAME = new Map(Object.entries(HANDLERS).map(([name, handler]) => [name.toLowerCase(), { name, handler }]));

/** The implemented method with this name (any case), with its canonical spelling. */
export function findMethod(name: string): { readonly name: string; readonly handler: MethodHandler } | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}
