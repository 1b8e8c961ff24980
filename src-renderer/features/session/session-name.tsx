import { useState, type FormEvent } from 'react';
import type { Session } from '../../../src-main/contract/domain.ts';
import { useAppState } from '../../store-context.tsx';

/**
 * The session's name in its header, renamed in place: Rename turns it into a field; Enter saves,
 * Escape gives up. The core checks the name (form, not taken) and its refusal is shown as it is.
 */
export function SessionName(props: { session: Session }) {
  const { session } = props;
  const renameSession = useAppState((state) => state.renameSession);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const close = (): void => {
    setDraft(null);
    setError(null);
  };
  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (draft === null) return;
    if (draft.trim() === session.name) return close();
    setSaving(true);
    try {
      await renameSession(session.id, draft);
      close();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };

  if (draft === null) {
    return (
      <span className="session-name-view">
        <span className="session-name" title="@name in the Telegram chat, or in place of the id in the CLI">
          @{session.name}
        </span>
        <button type="button" className="link-button" onClick={() => setDraft(session.name)}>
          Rename
        </button>
      </span>
    );
  }
  return (
    <form className="session-name-edit" onSubmit={(event) => void save(event)}>
      <input
        aria-label="Session name"
        value={draft}
        maxLength={32}
        // biome-ignore lint/a11y/noAutofocus: the field appears because the owner asked to rename
        autoFocus
        spellCheck={false}
        disabled={saving}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') close();
        }}
      />
      <button type="submit" disabled={saving}>
        Save
      </button>
      <button type="button" onClick={close} disabled={saving}>
        Cancel
      </button>
      {error ? (
        <span className="error" role="alert">
          {error}
        </span>
      ) : null}
    </form>
  );
}
