import { useState } from 'react';
import type { Session } from '../../../src-main/contract/domain.ts';
import { useAppState } from '../../store-context.tsx';

const FORMATS = [
  { format: 'md', label: 'Markdown', type: 'text/markdown' },
  { format: 'html', label: 'HTML', type: 'text/html' },
  { format: 'json', label: 'JSON', type: 'application/json' },
] as const;

/**
 * Export in the session header: the transcript from the core (secrets redacted there), saved as a
 * file under the name the core gives it.
 */
export function ExportMenu(props: { session: Session }) {
  const exportSession = useAppState((state) => state.exportSession);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (format: (typeof FORMATS)[number]): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const file = await exportSession(props.session.id, format.format);
      const url = URL.createObjectURL(new Blob([file.body], { type: format.type }));
      const link = document.createElement('a');
      link.href = url;
      link.download = file.fileName;
      link.click();
      // The click has handed the blob to the download; the URL is no longer needed.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset className="export-menu" aria-label="Export transcript">
      <span>Export</span>
      {FORMATS.map((f) => (
        <button key={f.format} type="button" className="link-button" disabled={busy} onClick={() => void save(f)}>
          {f.label}
        </button>
      ))}
      {error ? (
        <span className="error" role="alert">
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}
