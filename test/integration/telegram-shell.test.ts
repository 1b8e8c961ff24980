/** `/shell` from the chat: off unless the owner turned it on at the computer; then a real terminal, every command audited. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry, Session } from '../../src-main/contract/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { startTelegramHarness, type TelegramHarness } from './telegram-harness.ts';

const scripts = tempDir('reins-shell-');
afterAll(() => scripts.remove());

let h: TelegramHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const say = (text: string) => h!.bot.userSends(h!.owner, h!.owner.id, { text });

describe('/shell', () => {
  it('is off by default: it says how to turn it on and starts nothing', async () => {
    h = await startTelegramHarness();
    await h.pair();
    say('/shell touch should-not-exist');
    await h.waitMessage((m) => m.text.startsWith('The shell from the chat is off.') && m.text.includes('"telegram": { "shell": true }'), 'the refusal');
    expect((await h.api.get<{ sessions: Session[] }>('/sessions')).sessions).toEqual([]);
  });

  it('when turned on, runs each command in one terminal, answers with its readable tail, and audits every command', async () => {
    // A shell that goes quiet for a while before it runs anything (a loaded machine, a long profile, a
    // slow command): the answer keeps following the output and shows the result when it comes.
    const slowShell = join(scripts.path, 'slow-shell');
    writeFileSync(slowShell, '#!/bin/sh\necho "warming up"\nsleep 2\nexec /bin/sh\n', { mode: 0o755 });
    h = await startTelegramHarness({ config: { agents: { terminal: { bin: slowShell } }, telegram: { shell: true } } });
    await h.pair();
    say('/shell printf "\\033[31mtg-%s\\033[0m\\n" "$((6 * 7))"');
    // The command's output after the shell's prompt (a shell that starts late shows its prompt before
    // the line it already received).
    const first = await h.waitMessage((m) => /^(\S+ )?tg-42$/m.test(m.text), 'the first answer');
    expect(first.text).toMatch(/^warming up$/m);
    expect(first.text).not.toContain('\u001b');
    say('/shell echo "second in $$"');
    await h.waitMessage((m) => m.messageId > first.messageId && /^(\S+ )?second in \d+$/m.test(m.text), 'the second answer');
    const { sessions } = await h.api.get<{ sessions: Session[] }>('/sessions');
    expect(sessions.map((s) => s.agent)).toEqual(['terminal']);
    const { entries } = await h.api.get<{ entries: AuditEntry[] }>('/audit?limit=100');
    const commands = entries.filter((e) => e.type === 'terminal.input').map((e) => [e.detail.data, e.surface]);
    expect(commands).toEqual([
      ['echo "second in $$"\r', 'telegram'],
      ['printf "\\033[31mtg-%s\\033[0m\\n" "$((6 * 7))"', 'telegram'],
    ]);
  });
});
