import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { AgentCapabilities } from '../../../src-main/contract/action.ts';
import type { Delivery, Session } from '../../../src-main/contract/domain.ts';
import { ENDED_STATES } from '../../../src-main/contract/domain.ts';
import { useAppState } from '../../store-context.tsx';

/** States in which a turn is under way, so a message has to say when it should arrive. */
const BUSY_STATES: ReadonlySet<Session['state']> = new Set(['starting', 'running', 'stalled', 'waiting']);

const DELIVERY_CHOICES: { delivery: Delivery; label: string; hint: string; needs?: keyof AgentCapabilities }[] = [
  { delivery: 'queue', label: 'After this turn', hint: 'Kept until the agent finishes what it is doing' },
  { delivery: 'steer', label: 'Now', hint: 'Taken into the running turn at its next step', needs: 'steer' },
  { delivery: 'interrupt', label: 'Interrupt', hint: 'Stops the running turn, then sends this', needs: 'interrupt' },
];

/**
 * Writing to the session: the message, when it should arrive while a turn runs (after it, now, or
 * interrupting it; only what the agent can do is offered), and Stop. Enter sends, Shift+Enter is a
 * new line. The API has no route for attachments yet, so none are offered (Telegram files reach
 * the agent as paths through the phone).
 */
export function Composer(props: { session: Session }) {
  const { session } = props;
  const sendMessage = useAppState((state) => state.sendMessage);
  const stopSession = useAppState((state) => state.stopSession);
  const capabilities = useAppState((state) => state.agents.find((agent) => agent.id === session.agent)?.capabilities);
  const [text, setText] = useState('');
  const [delivery, setDelivery] = useState<Delivery>('queue');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [stopping, setStopping] = useState(false);

  if (session.adopted) {
    return <p className="composer-note muted">This agent was started outside Reins: Reins decides its tool calls, but cannot write to it or stop it.</p>;
  }

  const busy = BUSY_STATES.has(session.state);
  const ended = ENDED_STATES.includes(session.state);
  const choices = DELIVERY_CHOICES.filter((choice) => !choice.needs || capabilities?.[choice.needs] === true);
  const chosen = busy && choices.some((c) => c.delivery === delivery) ? delivery : 'queue';

  const send = async (): Promise<void> => {
    if (text.trim() === '' || sending) return;
    setSending(true);
    setError(null);
    try {
      await sendMessage(session.id, text, chosen);
      setText('');
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setSending(false);
    }
  };

  const stop = async (): Promise<void> => {
    setStopping(true);
    setError(null);
    try {
      await stopSession(session.id);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setStopping(false);
    }
  };

  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    void send();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <form className="composer" onSubmit={onSubmit} aria-label="Message the agent">
      <label className="visually-hidden" htmlFor={`composer-${session.id}`}>
        Message
      </label>
      <textarea
        id={`composer-${session.id}`}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        placeholder={ended ? 'Write to continue this session…' : 'Message the agent… (Enter sends, Shift+Enter for a new line)'}
        rows={2}
      />
      <div className="composer-bar">
        {busy && choices.length > 1 ? (
          <fieldset className="delivery">
            <legend className="visually-hidden">When it arrives</legend>
            {choices.map((choice) => (
              <label key={choice.delivery} title={choice.hint} className={chosen === choice.delivery ? 'delivery-choice chosen' : 'delivery-choice'}>
                <input type="radio" name={`delivery-${session.id}`} checked={chosen === choice.delivery} onChange={() => setDelivery(choice.delivery)} />
                {choice.label}
              </label>
            ))}
          </fieldset>
        ) : (
          <span className="composer-hint muted">{ended ? 'The agent resumes with its history.' : busy ? 'Sent when this turn ends.' : ''}</span>
        )}
        {ended ? null : (
          <button type="button" className="stop" onClick={() => void stop()} disabled={stopping} title="End the agent (a later message resumes it)">
            {stopping ? 'Stopping…' : 'Stop'}
          </button>
        )}
        <button type="submit" className="send" disabled={sending || text.trim() === ''}>
          Send
        </button>
      </div>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
