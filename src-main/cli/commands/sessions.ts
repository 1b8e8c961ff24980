import type { Approval, Followup, Session } from '../../contract/index.ts';
import { describeGrantMatcher, grantSubject } from '../../contract/index.ts';
import type { ApiClient } from '../client.ts';
import { CliError } from '../client.ts';
import { approvalSummary, sessionRow, table } from '../format.ts';
import { followInTerminal } from './attach.ts';

/** `reins sessions [--all]`: every session (archived ones with `all`) with its name and state. */
export async function sessionsCommand(api: ApiClient, all = false): Promise<number> {
  const { sessions } = await api.get<{ sessions: Session[] }>(all ? '/sessions?all=1' : '/sessions');
  if (sessions.length === 0) {
    process.stdout.write(
      `No sessions${all ? ' yet' : ''}. Start one with \`reins run --cwd DIR "prompt"\`${all ? '' : ' (archived ones: `reins sessions --all`)'}.\n`,
    );
    return 0;
  }
  process.stdout.write(`${table([['NAME', 'ID', 'AGENT', 'MODE', 'STATE', 'UPDATED', 'PROJECT', 'TITLE'], ...sessions.map(sessionRow)])}\n`);
  // Why a session is in its state (a failed turn says what to do) under the table, where it has room.
  const reasons = sessions.filter((s) => s.stateReason && s.state !== 'running');
  if (reasons.length > 0) process.stdout.write(`\n${reasons.map((s) => `${s.name} is ${s.state}: ${s.stateReason}`).join('\n')}\n`);
  return 0;
}

/** `reins rename ID NEW-NAME`. */
export async function renameCommand(api: ApiClient, id: string, name: string): Promise<number> {
  const { session } = await api.patch<{ session: Session }>(`/sessions/${encodeURIComponent(id)}`, { name });
  process.stdout.write(`Session ${session.id.slice(0, 8)} is now called ${session.name}.\n`);
  return 0;
}

/**
 * `reins run`: starts a session in the running core, then follows it in this terminal (approvals
 * answered with a key) until it rests; `detach` returns at once.
 */
export async function runCommand(
  api: ApiClient,
  opts: { cwd: string; agent: string; mode: string; prompt: string; detach: boolean; budget?: { costUsd?: number; tokens?: number } },
): Promise<number> {
  if (!opts.prompt.trim()) throw new CliError('Give the prompt as the last argument: reins run --cwd DIR "fix the failing test"', 2);
  const body = { agent: opts.agent, cwd: opts.cwd, prompt: opts.prompt, mode: opts.mode, ...(opts.budget ? { budget: opts.budget } : {}) };
  const { session } = await api.post<{ session: Session }>('/sessions', body);
  process.stdout.write(`Started session ${session.id} named ${session.name} (${session.agent}, ${session.mode} mode) in ${session.cwd}\n`);
  if (opts.detach) return 0;
  process.stdout.write('Following it here; Ctrl-C detaches (the session goes on).\n');
  return followInTerminal(api, session.id, true);
}

/** `reins send ID TEXT`: a follow-up to a session. */
export async function sendCommand(api: ApiClient, id: string, text: string, delivery: string): Promise<number> {
  const { followup } = await api.post<{ followup: Followup }>(`/sessions/${encodeURIComponent(id)}/messages`, { text, delivery });
  process.stdout.write(`Follow-up ${followup.id.slice(0, 8)} ${followup.state}.\n`);
  return 0;
}

/** `reins stop ID`. */
export async function stopCommand(api: ApiClient, id: string): Promise<number> {
  const { session } = await api.post<{ session: Session }>(`/sessions/${encodeURIComponent(id)}/stop`);
  process.stdout.write(`Session ${session.id.slice(0, 8)} is ${session.state}.\n`);
  return 0;
}

/** `reins approvals`: pending approvals across sessions. */
export async function approvalsCommand(api: ApiClient): Promise<number> {
  const { approvals } = await api.get<{ approvals: Approval[] }>('/approvals?status=pending');
  if (approvals.length === 0) {
    process.stdout.write('Nothing waits for you.\n');
    return 0;
  }
  const { sessions } = await api.get<{ sessions: Session[] }>('/sessions?all=1');
  const names = new Map(sessions.map((x) => [x.id, x.name]));
  const grantLines = approvals.flatMap((a) =>
    a.kind !== 'tool'
      ? []
      : a.grantOffer === null
        ? [`  ${a.handle}: can only be allowed once`]
        : [
            `  ${a.handle}: --scope session covers ${describeGrantMatcher(grantSubject(a.action), a.grantOffer.exact)}${a.grantOffer.wider ? `; with --wider, ${describeGrantMatcher(grantSubject(a.action), a.grantOffer.wider)}` : ''}`,
          ],
  );
  process.stdout.write(
    `${table([['HANDLE', 'SESSION', 'RISK', 'EXPIRES', 'REQUEST'], ...approvals.map((a) => [a.handle, names.get(a.sessionId) ?? a.sessionId.slice(0, 8), a.risk.level, `${Math.max(0, Math.round((a.expiresAt - Date.now()) / 1000))} s`, approvalSummary(a)])])}\n` +
      'Decide with `reins allow HANDLE [--scope session [--wider]]` or `reins deny HANDLE --message "why"`.\n' +
      (grantLines.length ? `${grantLines.join('\n')}\n` : ''),
  );
  return 0;
}

/** `reins allow|deny ID`. */
export async function decideCommand(
  api: ApiClient,
  id: string,
  decision: 'allow' | 'deny',
  opts: { message?: string; scope?: string; wider?: boolean; answers?: Record<string, string>; budget?: { costUsd?: number; tokens?: number } },
): Promise<number> {
  const body: Record<string, unknown> = { decision };
  if (opts.message) body.message = opts.message;
  if (opts.scope) body.scope = opts.scope;
  if (opts.wider) {
    if (!opts.scope || opts.scope === 'once') throw new CliError('--wider widens a grant: use it with --scope session or --scope project.', 2);
    body.widen = true;
  }
  if (opts.answers) body.answers = opts.answers;
  if (opts.budget) body.budget = opts.budget;
  const { approval } = await api.post<{ approval: Approval }>(`/approvals/${encodeURIComponent(id)}/decision`, body);
  process.stdout.write(`${approval.handle}: ${approval.status} — ${approval.reason}\n`);
  return 0;
}
