import { useId, useMemo, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AgentInfo } from '../../../src-main/contract/api.ts';
import type { SessionMode } from '../../../src-main/contract/domain.ts';
import { useAppState } from '../../store-context.tsx';
import { projectName } from '../sessions/session-filter.ts';
import { capabilityWords } from './capability-words.ts';
import { recentProjects } from './recent-projects.ts';

const MODES: readonly { mode: SessionMode; label: string; explains: string }[] = [
  { mode: 'ask', label: 'Ask', explains: 'Risky calls wait for your answer; reading runs on its own.' },
  { mode: 'auto', label: 'Auto', explains: 'Everything runs; you are told what happened. For trusted work only.' },
  { mode: 'standby', label: 'Standby', explains: 'Risky calls are denied and the agent is told you are away.' },
];

/** Starts a session: project folder, agent, mode, first prompt (and plan mode where the agent has it). */
export function NewSessionView() {
  const agents = useAppState((state) => state.agents);
  const recent = useAppState(useShallow((state) => recentProjects(Object.values(state.sessions))));
  const createSession = useAppState((state) => state.createSession);
  const showView = useAppState((state) => state.showView);
  const [cwd, setCwd] = useState('');
  const [chosenAgent, setAgent] = useState<string | null>(null);
  const [mode, setMode] = useState<SessionMode>('ask');
  const [prompt, setPrompt] = useState('');
  const [plan, setPlan] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const ids = { folder: useId(), prompt: useId(), recent: useId() };

  // Until the owner picks one: the first installed agent (the registry lists Claude Code first).
  const agentId = chosenAgent ?? agents.find((agent) => agent.installed)?.id ?? '';
  const agent = agents.find((candidate) => candidate.id === agentId);
  const canPlan = agent?.capabilities.planMode === true;
  const isTerminal = agentId === 'terminal';
  const ready = cwd.trim() !== '' && prompt.trim() !== '' && agent?.installed === true;

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!ready || starting) return;
    setStarting(true);
    setError(null);
    try {
      await createSession({ agent: agentId, cwd: cwd.trim(), prompt, mode, plan: canPlan && plan });
      setPrompt('');
      showView('session');
    } catch (caught) {
      setError(oneLine(caught));
    } finally {
      setStarting(false);
    }
  };

  return (
    <section className="view new-session" aria-labelledby="new-session-heading">
      <h2 id="new-session-heading">New session</h2>
      <form onSubmit={(event) => void submit(event)} aria-labelledby="new-session-heading">
        <fieldset>
          <legend>Project</legend>
          {recent.length > 0 ? (
            <ul className="recent-projects" aria-label="Recent projects" id={ids.recent}>
              {recent.map((path) => (
                <li key={path}>
                  <button type="button" className="chip" aria-pressed={cwd === path} title={path} onClick={() => setCwd(path)}>
                    {projectName(path)}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          <label htmlFor={ids.folder}>Folder</label>
          <input id={ids.folder} value={cwd} onChange={(event) => setCwd(event.target.value)} placeholder="/home/me/project" spellCheck={false} required />
        </fieldset>

        <fieldset>
          <legend>Agent</legend>
          <div className="agent-choices">
            {agents.map((option) => (
              <AgentChoice key={option.id} agent={option} checked={option.id === agentId} onChoose={() => setAgent(option.id)} />
            ))}
          </div>
        </fieldset>

        <fieldset>
          <legend>Mode</legend>
          <div className="mode-choices">
            {MODES.map((option) => (
              <label key={option.mode} className="choice">
                <input type="radio" name="mode" value={option.mode} checked={mode === option.mode} onChange={() => setMode(option.mode)} />
                <span className="choice-text">
                  <strong>{option.label}</strong>
                  <span className="muted">{option.explains}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        <label htmlFor={ids.prompt}>{isTerminal ? 'First command' : 'Prompt'}</label>
        <textarea
          id={ids.prompt}
          value={prompt}
          onChange={(event) => setPrompt(event.target.value)}
          rows={4}
          required
          placeholder={isTerminal ? 'ls -la' : 'What should the agent do?'}
        />
        {canPlan ? (
          <label className="choice">
            <input type="checkbox" checked={plan} onChange={(event) => setPlan(event.target.checked)} />
            <span className="choice-text">
              <strong>Plan first</strong>
              <span className="muted">The agent plans, and asks you to approve the plan before it acts.</span>
            </span>
          </label>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={!ready || starting}>
            {starting ? 'Starting…' : 'Start session'}
          </button>
          {error ? (
            <p className="error one-line" role="alert" title={error}>
              {error}
            </p>
          ) : null}
        </div>
      </form>
    </section>
  );
}

/** One agent as a radio choice: what it can do, or how to install it when it is missing. */
function AgentChoice(props: { agent: AgentInfo; checked: boolean; onChoose(): void }) {
  const { agent } = props;
  const words = useMemo(() => capabilityWords(agent.capabilities), [agent.capabilities]);
  const hintId = useId();
  return (
    <label className={agent.installed ? 'choice agent-choice' : 'choice agent-choice missing'}>
      <input
        type="radio"
        name="agent"
        value={agent.id}
        checked={props.checked}
        disabled={!agent.installed}
        onChange={props.onChoose}
        aria-describedby={hintId}
      />
      <span className="choice-text">
        <strong>
          {agent.displayName}
          {agent.tested ? null : <span className="tag">untested</span>}
        </strong>
        <span id={hintId} className="muted">
          {agent.installed ? words.join(' · ') || 'runs commands you type' : `Not installed: ${agent.installHint}`}
        </span>
      </span>
    </label>
  );
}

/** An error as one line (the API's messages are one sentence; anything longer is cut by CSS, whole in the title). */
function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}
