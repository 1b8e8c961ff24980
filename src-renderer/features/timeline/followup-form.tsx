import { useState, type FormEvent } from 'react';
import type { Delivery } from '../../../src-main/contract/domain.ts';
import { useAppState } from '../../store-context.tsx';

const DELIVERY_LABELS: Record<Delivery, string> = {
  queue: 'after this turn',
  steer: 'now',
  interrupt: 'interrupt, then send',
};
// The Record above makes the compiler insist on a label for every delivery the contract defines.
const DELIVERIES = Object.keys(DELIVERY_LABELS) as Delivery[];

/** Sends a follow-up to a session: queued after the current turn, steered in now, or interrupting. */
export function FollowupForm(props: { sessionId: string }) {
  const sendMessage = useAppState((state) => state.sendMessage);
  const [text, setText] = useState('');
  const [delivery, setDelivery] = useState<Delivery>('queue');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (text.trim() === '') return;
    setSending(true);
    setError(null);
    try {
      await sendMessage(props.sessionId, text, delivery);
      setText('');
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setSending(false);
    }
  };

  return (
    <form className="followup" onSubmit={(event) => void submit(event)} aria-label="Follow-up">
      <textarea value={text} onChange={(event) => setText(event.target.value)} placeholder="Tell the agent…" rows={2} />
      <select value={delivery} onChange={(event) => setDelivery(event.target.value as Delivery)} aria-label="Delivery">
        {DELIVERIES.map((option) => (
          <option key={option} value={option}>
            {DELIVERY_LABELS[option]}
          </option>
        ))}
      </select>
      <button type="submit" disabled={sending || text.trim() === ''}>
        Send
      </button>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
