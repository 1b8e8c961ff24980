import type { BotCommand } from 'grammy/types';
import type { Backend } from './backend.ts';
import { BotApiError, TELEGRAM_ERRORS, badRequest } from './errors.ts';
import { ClientGoneError, Described, type Call, type MethodHandler } from './method.ts';
import type { Params } from './params.ts';

/** getMe, getUpdates, the webhook methods and the command menu. */
export const botMethods: Record<string, MethodHandler> = {
  getMe: (backend) => backend.state.bot,

  getUpdates: async (backend: Backend, call: Call) => {
    const { params } = call;
    if (backend.webhookUrl !== '') {
      throw new BotApiError(TELEGRAM_ERRORS.conflictWebhook.error_code, TELEGRAM_ERRORS.conflictWebhook.description);
    }
    const allowed = params.optionalJson('allowed_updates', "can't parse allowed_updates JSON array");
    if (allowed !== undefined && !(Array.isArray(allowed) && allowed.every((t) => typeof t === 'string'))) {
      throw badRequest("can't parse allowed_updates JSON array");
    }
    const outcome = await backend.updates.poll(
      {
        offset: params.optionalInt('offset'),
        limit: params.optionalInt('limit'),
        timeout: params.optionalInt('timeout'),
        allowedUpdates: allowed as string[] | undefined,
      },
      call.signal,
    );
    if (outcome.kind === 'conflict') {
      throw new BotApiError(TELEGRAM_ERRORS.conflictGetUpdates.error_code, TELEGRAM_ERRORS.conflictGetUpdates.description);
    }
    if (outcome.kind === 'aborted') throw new ClientGoneError('getUpdates client disconnected');
    return outcome.updates;
  },

  setWebhook: (backend, { params }) => {
    const url = params.optionalString('url') ?? '';
    if (url === '') return deleteWebhook(backend, params);
    if (!url.startsWith('https://')) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    if (params.optionalBool('drop_pending_updates') === true) backend.updates.dropAll();
    backend.webhookUrl = url;
    // A webhook takes over delivery: a held getUpdates ends the way Telegram ends it.
    backend.updates.release();
    return new Described(true, 'Webhook was set');
  },

  deleteWebhook: (backend, { params }) => deleteWebhook(backend, params),

  getWebhookInfo: (backend) => ({
    url: backend.webhookUrl,
    has_custom_certificate: false,
    pending_update_count: backend.updates.pending().length,
  }),

  setMyCommands: (backend, { params }) => {
    const commands = params.optionalJson('commands', "can't parse commands JSON object") ?? [];
    if (!Array.isArray(commands)) throw badRequest("can't parse commands JSON object");
    if (commands.length > 100) throw badRequest('BOT_COMMANDS_TOO_MUCH');
    backend.commands.set(commandsKey(params), commands.map(checkCommand));
    return true;
  },

  getMyCommands: (backend, { params }) => backend.commands.get(commandsKey(params)) ?? [],

  deleteMyCommands: (backend, { params }) => {
    backend.commands.delete(commandsKey(params));
    return true;
  },
};

function deleteWebhook(backend: Backend, params: Params): Described {
  if (params.optionalBool('drop_pending_updates') === true) backend.updates.dropAll();
  const wasSet = backend.webhookUrl !== '';
  backend.webhookUrl = '';
  return new Described(true, wasSet ? 'Webhook was deleted' : 'Webhook is already deleted');
}

function commandsKey(params: Params): string {
  const scope = params.optionalJson('scope', "can't parse BotCommandScope JSON object") ?? { type: 'default' };
  return JSON.stringify([scope, params.optionalString('language_code') ?? '']);
}

function checkCommand(raw: unknown): BotCommand {
  const command = raw as Partial<BotCommand> | null;
  if (typeof command?.command !== 'string') throw badRequest('can\'t parse BotCommand: Can\'t find field "command"');
  if (typeof command.description !== 'string') {
    throw badRequest('can\'t parse BotCommand: Can\'t find field "description"');
  }
  // Commands are 1-32 characters of lowercase Latin letters, digits and underscores.
  if (!/^[a-z0-9_]{1,32}$/.test(command.command)) throw badRequest('BOT_COMMAND_INVALID');
  if (command.description.trim() === '') throw badRequest('command description must be non-empty');
  if ([...command.description].length > 256) throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
  return { command: command.command, description: command.description };
}
