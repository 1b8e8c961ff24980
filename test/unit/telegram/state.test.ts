import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src-main/core/log.ts';
import { openStore, type Store } from '../../../src-main/core/store/index.ts';
import { createTelegramState } from '../../../src-main/surfaces/telegram/state.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

let dir: ReturnType<typeof tempDir> | undefined;
const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  dir?.remove();
  dir = undefined;
});

/** A state on a real SQLite file; `reopen` gives a second state on the same file (a restart). */
function fresh(now: { t: number }) {
  dir ??= tempDir('reins-tgstate-');
  const path = join(dir.path, 'reins.db');
  const open = () => {
    const store = openStore(path);
    stores.push(store);
    return { store, state: createTelegramState({ kv: store.kv, clock: { now: () => now.t }, log: silentLogger }) };
  };
  return { ...open(), reopen: () => open().state };
}

describe('the bridge state', () => {
  it('keeps the update offset, owner and pairing across a restart', () => {
    const now = { t: 1000 };
    const { state, store, reopen } = fresh(now);
    expect(state.offset()).toBeNull();
    state.setOffset(500_000_042);
    state.setPairedOwner(77);
    state.setPairing({ hash: 'ab'.repeat(32), expiresAt: 5000 });
    store.close();
    stores.splice(stores.indexOf(store), 1);
    const again = reopen();
    expect(again.offset()).toBe(500_000_042);
    expect(again.pairedOwner()).toBe(77);
    expect(again.pairing()).toEqual({ hash: 'ab'.repeat(32), expiresAt: 5000 });
    again.setPairing(null);
    expect(again.pairing()).toBeNull();
  });

  it('accepts a button nonce once, also after a restart, and forgets nonces older than any button', () => {
    const now = { t: 0 };
    const { state, reopen } = fresh(now);
    expect(state.useNonce('n1')).toBe(true);
    expect(state.useNonce('n1')).toBe(false);
    expect(reopen().useNonce('n1')).toBe(false);
    now.t = 27 * 3600_000;
    expect(state.useNonce('n2')).toBe(true);
    expect(reopen().useNonce('n1')).toBe(true);
  });

  it('gives 8-character handles that expire', () => {
    const now = { t: 0 };
    const { state } = fresh(now);
    const h = state.newHandle({ kind: 'session', sessionId: 's1', chatId: 5, expiresAt: 100 });
    expect(h).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(state.handle(h)).toMatchObject({ kind: 'session', sessionId: 's1' });
    now.t = 100;
    expect(state.handle(h)).toBeUndefined();
    state.newHandle({ kind: 'session', sessionId: 's2', chatId: 5, expiresAt: 500 });
    const other = state.newHandle({ kind: 'followup', followupId: 'f', chatId: 5, expiresAt: 500 });
    state.dropSessionHandles('s2');
    expect(state.handle(other)).toMatchObject({ kind: 'followup' });
  });

  it('remembers which session a message belongs to, and topics both ways', () => {
    const { state, reopen } = fresh({ t: 0 });
    state.rememberMessage(10, 1, 'sA');
    state.rememberMessage(10, 2, 'sB');
    state.setTopic('sB', 77);
    const again = reopen();
    expect(again.sessionOfMessage(10, 2)).toBe('sB');
    expect(again.sessionOfMessage(11, 2)).toBeUndefined();
    expect(again.sessionOfTopic(77)).toBe('sB');
    expect(again.topicOf('sB')).toBe(77);
  });

  it('drops a value it cannot read instead of trusting it', () => {
    const { state, store } = fresh({ t: 0 });
    store.kv.set('telegram.live', '{"s1":{"place":"nope"}}', 0);
    store.kv.set('telegram.offset', 'not json', 0);
    expect(state.live.entries()).toEqual([]);
    expect(state.offset()).toBeNull();
  });

  it('a pending prompt expires', () => {
    const now = { t: 0 };
    const { state } = fresh(now);
    state.setPrompt({ kind: 'deny_reason', approvalId: 'a1', place: { chatId: 1 }, expiresAt: 50 });
    expect(state.prompt()).toMatchObject({ approvalId: 'a1' });
    now.t = 50;
    expect(state.prompt()).toBeNull();
  });
});
