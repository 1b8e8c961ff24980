import { useState, type FormEvent } from 'react';
import type { Question } from '../../../src-main/contract/domain.ts';

/**
 * The agent's questions: one button per option, or an answer in the owner's own words. A single
 * question with a single choice is answered by its button at once; otherwise the picks are
 * collected and sent with Submit.
 */
export function QuestionForm(props: { questions: Question[]; busy: boolean; onAnswer(answers: Record<string, string>): void }) {
  const { questions, busy, onAnswer } = props;
  const [picked, setPicked] = useState<Record<string, string[]>>({});
  const [own, setOwn] = useState<Record<string, string>>({});
  const immediate = questions.length === 1 && !questions[0]!.multiSelect;

  const answerOf = (q: Question): string => own[q.question]?.trim() || (picked[q.question] ?? []).join(', ');
  const complete = questions.every((q) => answerOf(q) !== '');
  const submit = (): void => onAnswer(Object.fromEntries(questions.map((q) => [q.question, answerOf(q)])));

  const pick = (q: Question, label: string): void => {
    if (immediate) {
      onAnswer({ [q.question]: label });
      return;
    }
    setPicked((state) => {
      const now = state[q.question] ?? [];
      const next = q.multiSelect ? (now.includes(label) ? now.filter((l) => l !== label) : [...now, label]) : [label];
      return { ...state, [q.question]: next };
    });
  };

  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    if (complete) submit();
  };

  return (
    <form className="question-form" onSubmit={onSubmit}>
      {questions.map((q, qi) => (
        <fieldset key={q.question} className="question">
          <legend>
            {q.header ? <strong>{q.header}: </strong> : null}
            {q.question}
            {q.multiSelect ? <span className="muted"> (pick any)</span> : null}
          </legend>
          <div className="question-options">
            {q.options.map((option, oi) => {
              const chosen = (picked[q.question] ?? []).includes(option.label);
              const shortcut = qi === 0 && oi < 9 ? String(oi + 1) : null;
              return (
                <button
                  key={option.label}
                  type="button"
                  className={chosen ? 'option chosen' : 'option'}
                  aria-pressed={immediate ? undefined : chosen}
                  disabled={busy}
                  data-shortcut={shortcut ?? undefined}
                  title={`${option.description ?? option.label}${shortcut ? ` (${shortcut})` : ''}`}
                  onClick={() => pick(q, option.label)}
                >
                  <span className="option-label">{option.label}</span>
                  {option.description ? <span className="option-description">{option.description}</span> : null}
                </button>
              );
            })}
          </div>
          <label className="question-own">
            <span className="visually-hidden">Your own answer to: {q.question}</span>
            <input
              value={own[q.question] ?? ''}
              onChange={(event) => setOwn((state) => ({ ...state, [q.question]: event.target.value }))}
              placeholder="Or answer in your own words…"
              disabled={busy}
            />
          </label>
        </fieldset>
      ))}
      <button type="submit" className="primary" disabled={busy || !complete}>
        Send answer
      </button>
    </form>
  );
}
