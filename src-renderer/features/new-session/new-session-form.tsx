import { useState, type FormEvent } from 'react';
import type { SessionMode } from '../../../src-main/contract/domain.ts';
import { useAppState } from '../../store-context.tsx';

const MODE_LABELS: Record<SessionMode, string> = {
  ask: 'Ask before risky tools',
  auto: 'Allow everything (notify)',
  standby: 'Deny risky tools',
};
// The Record above makes the compiler insist on a label for every mode the contract defines.
const SESSION_MODES = Object.keys(MODE_LABELS) as SessionMode[];

/** Starts a session of an installed agent in a project directory with a first prompt. */
export function NewSessionForm() {
  const createSession = useAppState((state) => state.createSession);
  const agents = useAppState((state) => state.agents);
  const installed = agents.filter((a) => a.installed);
  const [chosenAgent, setAgent] = useState<string | null>(null);
  // Until the owner picks one: the first installed agent (the registry lists Claude Code first).
  const agent = chosenAgent ?? installed[0]?.id ?? 'claude';
  const [cwd, setCwd] = useState('');
  const [prompt, setPrompt] = useState('');
  const [mode, setMode] = useState<SessionMode>('ask');
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setStarting(true);
    setError(null);
    try {
      await createSession({ agent, cwd: cwd.trim(), prompt, mode });
      setPrompt('');
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setStarting(false);
    }
  };

  return (
    <form className="new-session" onSubmit={(event) => void submit(event)} aria-label="New session">
      <label>
        Project directory
        <input value={cwd} onChange={(event) => setCwd(event.target.value)} placeholder="/home/me/project" required />
      </label>
      <label>
        Prompt
        <textarea value={prompt} onChange={(event) => setPrompt(event.target.value)} rows={3} required />
      </label>
      <label>
        Agent
        <select value={agent} onChange={(event) => setAgent(event.target.value)}>
          {(installed.length > 0 ? installed : agents).map((option) => (
            <option key={option.id} value={option.id}>
              {option.displayName}
              {option.tested ? '' : ' (untested)'}
            </option>
          ))}
        </select>
      </label>
      <label>
        Mode
        <select value={mode} onChange={(event) => setMode(event.target.value as SessionMode)}>
          {SESSION_MODES.map((option) => (
            <option key={option} value={option}>
              {MODE_LABELS[option]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={starting || cwd.trim() === '' || prompt.trim() === ''}>
        {starting ? 'Starting…' : 'Start session'}
      </button>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
