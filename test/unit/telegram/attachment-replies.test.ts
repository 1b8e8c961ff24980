/**
 * Files from the owner through the real files feature: when the file cannot be saved where it
 * should go, or the agent cannot be handed it, the owner is told so in the chat.
 */
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src-main/contract/index.ts';
import type { Core } from '../../../src-main/core/create-core.ts';
import { ConflictError } from '../../../src-main/core/errors.ts';
import { filesFeature } from '../../../src-main/surfaces/telegram/features/files.ts';
import { startFeatureBot, type FeatureBot } from '../../helpers/feature-bot.ts';

let bot: FeatureBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

const session = (id: string): Session => ({
  id,
  agent: 'claude',
  projectId: 'p1',
  cwd: '/tmp/project',
  mode: 'ask',
  state: 'idle',
  stateReason: null,
  waitingFor: null,
  agentSessionId: null,
  adopted: false,
  transcriptPath: null,
  title: 'demo',
  name: 'demo',
  archivedAt: null,
  budget: { limit: { costUsd: null, tokens: null }, spent: { costUsd: 0, tokens: 0 } },
  lastSeq: 0,
  createdAt: 0,
  updatedAt: 0,
});

/** A core whose only session is `id`; `send` is what handing a follow-up does. */
function coreWith(id: string, send: () => unknown, attachments: { dir: string }): Partial<Core> {
  return {
    paths: {
      get attachments() {
        return attachments.dir;
      },
    } as unknown as Core['paths'],
    sessions: { get: () => ({ session: session(id), pendingApprovals: [], followups: [] }), send } as unknown as Core['sessions'],
  };
}

const download = (_fileId: string, dest: string): Promise<number> => {
  writeFileSync(dest, 'notes');
  return Promise.resolve(5);
};

async function sendFile(b: FeatureBot, focus: string): Promise<string> {
  b.deps.state.setFocus(focus);
  b.fake.userSends(b.user, b.user.id, { document: { bytes: new TextEncoder().encode('notes'), fileName: 'notes.txt' } });
  await b.feed();
  const reply = await b.fake.waitFor(() => b.fake.messages(b.user.id).find((m) => m.text.startsWith('📎')), 5000, 'the reply');
  return reply.text;
}

describe('a file that cannot reach the agent', () => {
  it('tells the owner when the save path is refused', async () => {
    const attachments = { dir: '' };
    let sent = 0;
    bot = await startFeatureBot(
      coreWith('bad/../id', () => sent++, attachments),
      (deps) => [filesFeature(deps)],
      { download },
    );
    attachments.dir = bot.dataDir;
    const text = await sendFile(bot, 'bad/../id');
    expect(text).toMatch(/not saved/i);
    expect(text).toContain('Refusing to save an attachment');
    expect(sent).toBe(0);
  });

  it('tells the owner when the session refuses the follow-up after the download', async () => {
    const attachments = { dir: '' };
    const id = '6c1f7c1e-0b5e-4f3e-9a51-1d2a3b4c5d6e';
    bot = await startFeatureBot(
      coreWith(
        id,
        () => {
          throw new ConflictError('The session ended; resume it with /sessions first.');
        },
        attachments,
      ),
      (deps) => [filesFeature(deps)],
      { download },
    );
    attachments.dir = bot.dataDir;
    const text = await sendFile(bot, id);
    expect(text).toMatch(/saved .*notes\.txt/i);
    expect(text).toMatch(/could not be handed to the agent/i);
    expect(text).toContain('The session ended; resume it with /sessions first.');
  });
});
