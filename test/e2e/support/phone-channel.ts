/**
 * The owner's phone for browser specs, which run in another process than the fake Bot API: a loopback
 * HTTP server that says what the bot sent to the owner's chat and lets a spec write to it or tap a
 * button there, exactly as `TelegramHarness` does in-process.
 *
 * - `GET /messages` → `BotMessageView[]` (the owner's chat as it stands, edits applied)
 * - `POST /send {text}` → the owner sends `text` (`/new`, a project path, a prompt, a follow-up)
 * - `POST /tap {messageId, label}` → the owner taps the button whose label starts with `label`
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TelegramHarness } from '../../integration/telegram-harness.ts';

/** A running channel; `close()` stops it. */
export interface PhoneChannel {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > MAX_BODY) throw new Error('body too large');
  }
  return JSON.parse(text) as Record<string, unknown>;
}

/** Starts the channel for the harness's owner on 127.0.0.1 (a free port). */
export async function startPhoneChannel(h: TelegramHarness): Promise<PhoneChannel> {
  const server = createServer((req, res) => {
    const answer = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    void (async () => {
      try {
        if (req.method === 'GET' && req.url === '/messages') return answer(200, h.messages());
        if (req.method === 'POST' && req.url === '/send') {
          const { text } = await jsonBody(req);
          h.bot.userSends(h.owner, h.owner.id, String(text));
          return answer(200, { ok: true });
        }
        if (req.method === 'POST' && req.url === '/tap') {
          const { messageId, label } = await jsonBody(req);
          const message = h.messages().find((m) => m.messageId === Number(messageId));
          if (!message) return answer(404, { error: `no message ${String(messageId)} in the owner's chat` });
          return answer(200, { queryId: h.tap(message, String(label)) });
        }
        answer(404, { error: `no route ${req.method} ${req.url}` });
      } catch (error) {
        answer(400, { error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
