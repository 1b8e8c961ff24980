import { useEffect, useId, useState, type FormEvent } from 'react';
import type { PairingInfo, TelegramStatus } from '../../../src-main/contract/telegram.ts';
import { useLoad } from '../../frame/use-load.ts';
import { useApi } from '../../store-context.tsx';
import { QrImage } from './qr-image.tsx';

const STATE_WORDS: Record<TelegramStatus['state'], string> = {
  starting: 'Starting…',
  unconfigured: 'No bot token yet',
  waiting_for_owner: 'Ready; not paired with your phone',
  pairing: 'Waiting for you to open the pairing link',
  running: 'Connected',
  failed: 'Not working',
  stopped: 'Stopped',
};

const TOKEN_SOURCES: Record<NonNullable<TelegramStatus['tokenSource']>, string> = {
  env: 'from REINS_TELEGRAM_TOKEN',
  keychain: 'in the OS keychain',
  file: 'in the secrets file (mode 0600)',
};

/** How often the status is asked while a pairing link waits for the phone. */
const PAIRING_POLL_MS = 3000;

/** The Telegram bridge: status, bot token setup, pairing (QR code and link), owner, forum topics. */
export function TelegramSettings() {
  const api = useApi();
  const status = useLoad(() => api.telegramStatus());
  const [pairing, setPairing] = useState<PairingInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const s = status.data;
  const waitingForPhone = s?.state === 'pairing';
  const { reload } = status;

  // While a pairing link is out, watch for the phone to use it (or for the link to expire).
  useEffect(() => {
    if (!waitingForPhone) return;
    const timer = window.setInterval(reload, PAIRING_POLL_MS);
    return () => window.clearInterval(timer);
  }, [waitingForPhone, reload]);
  const shownPairing = pairing !== null && s?.pairingExpiresAt !== null ? pairing : null;

  const pair = async (): Promise<void> => {
    setError(null);
    try {
      setPairing(await api.pairTelegram());
      status.reload();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  return (
    <section className="settings-section" aria-labelledby="telegram-heading">
      <h3 id="telegram-heading">Telegram</h3>
      {status.error ? (
        <p className="error" role="alert">
          {status.error}
        </p>
      ) : null}
      {s ? (
        <>
          <dl className="facts">
            <dt>Status</dt>
            <dd data-testid="telegram-state">
              {STATE_WORDS[s.state]}
              {s.error ? <span className="error"> — {s.error}</span> : null}
            </dd>
            <dt>Bot</dt>
            <dd>{s.bot ? `@${s.bot.username}` : '—'}</dd>
            <dt>Token</dt>
            <dd>{s.tokenSource ? `stored ${TOKEN_SOURCES[s.tokenSource]}` : 'not set'}</dd>
            <dt>Owner</dt>
            <dd>
              {s.ownerId === null
                ? 'nobody yet: pair your phone'
                : `Telegram user ${s.ownerId} (${s.ownerSource === 'config' ? 'set in config.json' : 'paired'})`}
            </dd>
            <dt>Forum topics</dt>
            <dd>{s.forumChatId === null ? 'off: sessions go to the private chat' : `on: one topic per session in group ${s.forumChatId}`}</dd>
          </dl>
          {s.tokenSource !== 'env' ? <TokenForm hasToken={s.tokenSource !== null} onSaved={status.reload} /> : null}
          {s.tokenSource !== null && s.ownerSource !== 'config' ? (
            <div className="pairing">
              <button type="button" onClick={() => void pair()}>
                {s.ownerId === null ? 'Pair your phone' : 'Pair another phone'}
              </button>
              {shownPairing ? (
                <figure className="pairing-code">
                  <QrImage text={shownPairing.link} label="QR code of the Telegram pairing link" />
                  <figcaption>
                    Scan with your phone, or open{' '}
                    <a href={shownPairing.link} target="_blank" rel="noreferrer">
                      {shownPairing.link}
                    </a>
                    . Valid once, until {new Date(shownPairing.expiresAt).toLocaleTimeString()}.
                  </figcaption>
                </figure>
              ) : null}
            </div>
          ) : null}
          {error ? (
            <p className="error one-line" role="alert">
              {error}
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

/** Sets or replaces the bot token; the core checks it with Telegram before storing it. */
function TokenForm(props: { hasToken: boolean; onSaved(): void }) {
  const api = useApi();
  const id = useId();
  const [token, setToken] = useState('');
  const [open, setOpen] = useState(!props.hasToken);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Replace bot token
      </button>
    );
  }
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await api.setTelegramToken(token);
      setToken('');
      setOpen(false);
      props.onSaved();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setSaving(false);
    }
  };
  return (
    <form className="token-form" onSubmit={(event) => void submit(event)}>
      <label htmlFor={id}>Bot token from @BotFather</label>
      <div className="inline-row">
        <input id={id} type="password" autoComplete="off" spellCheck={false} value={token} onChange={(event) => setToken(event.target.value)} />
        <button type="submit" disabled={saving || token.trim() === ''}>
          {saving ? 'Checking…' : 'Save token'}
        </button>
      </div>
      {error ? (
        <p className="error one-line" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
