/**
 * The owner's phone, as a spec drives it over serve-core's phone channel: read the bot's messages in
 * the owner's chat, write to the bot, tap a button.
 */
import { expect } from '@playwright/test';

/** A bot message as the channel reports it (the fields specs read). */
export interface PhoneMessage {
  messageId: number;
  text: string;
  editCount: number;
  replyMarkup?: { inline_keyboard: { text: string }[][] };
}

/** A client of the phone channel at `base`. */
export function phoneAt(base: string) {
  const post = async (path: string, body: unknown): Promise<void> => {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`phone ${path}: ${response.status} ${await response.text()}`);
  };
  const phone = {
    async messages(): Promise<PhoneMessage[]> {
      return (await (await fetch(`${base}/messages`)).json()) as PhoneMessage[];
    },
    /** The owner sends `text` to the bot. */
    send: (text: string) => post('/send', { text }),
    /** The owner taps the button labelled `label…` on message `messageId`. */
    tap: (messageId: number, label: string) => post('/tap', { messageId, label }),
    /** Waits until a message in the owner's chat matches `match`, and returns it. */
    async waitFor(match: (m: PhoneMessage) => boolean, what: string, timeout = 20_000): Promise<PhoneMessage> {
      let found: PhoneMessage | undefined;
      await expect
        .poll(
          async () => {
            found = (await phone.messages()).find(match);
            return found !== undefined;
          },
          { message: `the phone to show ${what}`, timeout },
        )
        .toBe(true);
      return found!;
    },
  };
  return phone;
}
