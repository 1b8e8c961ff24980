/**
 * The slash commands (registered with setMyCommands): /sessions, /status, /stop, /interrupt,
 * /mode, /rename, /grants, /approvals, /help. Commands about one session act on the session named
 * after the command (`/stop api-2`), else the session of the topic, of the replied-to message, or
 * the focused one.
 */
import { Composer, type Context } from 'grammy';
import type { Approval, Grant, Session, SessionMode } from '../../../contract/index.ts';
import { actionLabel, actionSubject, describeGrantMatcher } from '../../../contract/index.ts';
import { redactThenShorten } from '../format/index.ts';
import { SESSION_MODES } from '../../../contract/index.ts';
import { ReinsError } from '../../../core/errors.ts';
import { escapeHtml } from '../format/index.ts';
import { budgetLine } from '../views/live-status.ts';
import { sessionLabel, shortId, stateText } from '../views/session-label.ts';
import type { ButtonSpec, Keyboard } from '../writer.ts';
import { parseExportArgs, sendTranscript } from './export.ts';
import { actorOf, ButtonKept, fire, NO_SESSION, placeOfMessage, reply, sessionOfMessage, type FeatureDeps, type MenuHandler } from './deps.ts';
import { modeGate, revokeGate } from './passcode-targets.ts';

/** The command menu Telegram shows (setMyCommands). */
export const BOT_COMMANDS = [
  { command: 'new', description: 'Start a session: project, agent, mode, prompt' },
  { command: 'sessions', description: 'All sessions and their state; tap one to focus it' },
  { command: 'status', description: 'State of the current session' },
  { command: 'stop', description: 'Stop the current session' },
  { command: 'interrupt', description: 'Stop the current turn, keep the session' },
  { command: 'mode', description: 'Approval mode of the current session' },
  { command: 'rename', description: 'Give the current session another name' },
  { command: 'export', description: 'Transcript of the current session as a file: md, json or html' },
  { command: 'grants', description: 'Standing permissions; tap to revoke' },
  { command: 'approvals', description: 'Everything waiting for you, across sessions' },
  { command: 'schedule', description: 'Schedules and their next run; pause or remove' },
  { command: 'shell', description: 'Run a command in your terminal (off unless enabled in config)' },
  { command: 'help', description: 'What Reins can do here' },
] as const;

const HELP = [
  '<b>Reins</b> runs coding agents on your computer; this chat holds the reins.',
  '',
  '/new — start a session (project → agent → mode → prompt)',
  '/sessions — list sessions, tap one to focus it',
  '/status — the current session',
  '/stop, /interrupt — stop the session, or just its current turn',
  '/mode — ask / auto / standby for the current session',
  '/rename new-name — give the current session another name (/rename old-name new-name for another one)',
  '/status, /stop, /interrupt and /mode also take a session name: /stop api-2, /mode api-2 auto',
  "/export [md|json|html] — the current session's transcript as a file, secrets redacted (/export api-2 html for another one)",
  '/grants — standing permissions, tap to revoke',
  '/approvals — everything waiting for you',
  '/schedule — schedules and their next run; pause or remove',
  '',
  'Plain text goes to the current session as a follow-up (to the session of a message when you reply to it); <code>@name text</code> sends it to the session called name from anywhere in the chat. Photos and files are saved for the agent.',
  'Approvals arrive as their own messages: tap Allow, Deny, Allow for this session, or Deny with reason.',
].join('\n');

const SESSIONS_SHOWN = 10;
const MENU_ITEMS = 8;

/** Builds the commands Composer; `menus` receives the menu handlers it owns. */
export function commandsFeature(deps: FeatureDeps, menus: Map<string, MenuHandler>): Composer<Context> {
  const c = new Composer<Context>();
  const say = (ctx: Context, html: string, keyboard?: Keyboard): void => fire(deps, 'command.reply', reply(deps, ctx, html, keyboard ? { keyboard } : {}));
  const current = (ctx: Context): Session | null => {
    const id = ctx.msg ? sessionOfMessage(deps, ctx.msg) : null;
    return id ? (deps.sessions.get(id) ?? null) : null;
  };
  /**
   * The session a command names (`/stop api-2`, a name or an id), else the current one; null (after
   * saying so) when the name matches no session.
   */
  const named = (ctx: Context, given = String(ctx.match ?? '').trim()): Session | null => {
    if (!given) {
      const s = current(ctx);
      if (!s) say(ctx, NO_SESSION);
      return s;
    }
    try {
      return deps.core.sessions.get(given).session;
    } catch (err) {
      if (!(err instanceof ReinsError)) throw err;
      say(ctx, `❌ ${escapeHtml(err.message.replace(/ List them with .*$/, '').replace(/\.$/, ''))}. See /sessions for the names.`);
      return null;
    }
  };
  const menu = (ctx: Context, name: string, options: string[], extra: { sessionId?: string } = {}): string =>
    deps.state.newHandle({
      kind: 'menu',
      menu: extra.sessionId ? `${name}:${extra.sessionId}` : name,
      options,
      chatId: ctx.chat?.id ?? 0,
      expiresAt: deps.clock.now() + deps.tuning.menuTtlMs,
    });

  c.command(['start', 'help'], (ctx) => say(ctx, HELP));

  c.command('sessions', (ctx) => {
    const sessions = [...deps.core.sessions.list()].sort((a, b) => b.updatedAt - a.updatedAt).slice(0, SESSIONS_SHOWN);
    if (sessions.length === 0) return say(ctx, 'No sessions yet. Start one with /new.');
    const focus = deps.state.focus();
    const lines = sessions.map(
      (s, i) => `${i + 1}. <code>@${escapeHtml(s.name)}</code> ${stateText(s)} · ${sessionLabel(s)}${s.id === focus ? ' ← <b>current</b>' : ''}`,
    );
    const handle = menu(
      ctx,
      'focus',
      sessions.map((s) => s.id),
    );
    const buttons: ButtonSpec[] = sessions.map((_, i) => ({ text: `${i + 1}`, payload: { handle, action: `answer:${i}` } }));
    const rows: ButtonSpec[][] = [];
    for (let i = 0; i < buttons.length; i += 5) rows.push(buttons.slice(i, i + 5));
    say(ctx, `<b>Sessions</b> (tap a number to make it current; <code>@name text</code> writes to one)\n${lines.join('\n')}`, rows);
  });

  menus.set('focus', (_tap, _target, sessionId) => {
    const s = deps.sessions.get(sessionId);
    if (!s) return 'That session no longer exists.';
    deps.state.setFocus(sessionId);
    return `Current session: ${s.title || s.name} (@${s.name})`;
  });

  c.command('status', (ctx) => {
    const s = String(ctx.match ?? '').trim() ? named(ctx) : current(ctx);
    if (!s) {
      if (String(ctx.match ?? '').trim()) return;
      const active = deps.core.sessions.list().filter((x) => ['starting', 'running', 'stalled', 'waiting'].includes(x.state));
      const pending = deps.core.approvals.list('pending').length;
      return say(ctx, `No current session. ${active.length} active session(s), ${pending} approval(s) waiting. Pick one with /sessions.`);
    }
    say(ctx, statusText(deps, s));
  });

  c.command('stop', (ctx) => {
    const s = named(ctx);
    if (!s) return;
    const actor = actorOf(ctx.from?.id ?? 0);
    deps.tasks.run('command.stop', () => deps.core.sessions.stop(s.id, actor));
    say(ctx, `⏹ Stopping ${sessionLabel(s)}. Send a message to resume it later.`);
  });

  c.command('interrupt', (ctx) => {
    const s = named(ctx);
    if (!s) return;
    const actor = actorOf(ctx.from?.id ?? 0);
    deps.tasks.run('command.interrupt', async () => {
      const done = await deps.core.sessions.interrupt(s.id, actor);
      await reply(deps, ctx, done ? `⏸ Interrupted the current turn of ${sessionLabel(s)}.` : `Nothing is running in ${sessionLabel(s)}.`);
    });
  });

  // `/mode [session] [ask|auto|standby]`: without a mode, a menu.
  c.command('mode', (ctx) => {
    const words = String(ctx.match ?? '')
      .trim()
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean);
    const isMode = (w: string | undefined): boolean => w !== undefined && (SESSION_MODES as readonly string[]).includes(w);
    const wanted = isMode(words.at(-1)) ? words.at(-1)! : '';
    const target = wanted ? words.slice(0, -1)[0] : words[0];
    const s = target ? named(ctx, target) : current(ctx);
    if (!s) return target ? undefined : say(ctx, NO_SESSION);
    if (wanted) {
      const asked = ctx.msg ? deps.passcode.guard(modeGate(s, wanted as SessionMode, placeOfMessage(ctx.msg), ctx.from?.id ?? 0)) : null;
      if (asked !== null) return say(ctx, asked);
      deps.core.sessions.setMode(s.id, wanted as SessionMode, actorOf(ctx.from?.id ?? 0));
      return say(ctx, `Mode of ${sessionLabel(s)} is now <b>${wanted}</b>.`);
    }
    const handle = menu(ctx, 'mode', [...SESSION_MODES], { sessionId: s.id });
    say(
      ctx,
      `Mode of ${sessionLabel(s)}: <b>${s.mode}</b>\n• ask: risky calls wait for you\n• auto: everything runs, you are told\n• standby: risky calls are denied`,
      [SESSION_MODES.map((m, i) => ({ text: m === s.mode ? `• ${m}` : m, payload: { handle, action: `answer:${i}` as const } }))],
    );
  });

  // `/rename new-name` renames the current session; `/rename old-name new-name` the one named.
  c.command('rename', (ctx) => {
    const words = String(ctx.match ?? '')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    if (words.length > 2) return say(ctx, 'Usage: /rename new-name, or /rename session new-name.');
    const s = words.length === 2 ? named(ctx, words[0]) : current(ctx);
    if (!s) return words.length === 2 ? undefined : say(ctx, NO_SESSION);
    const wanted = words.at(-1);
    if (!wanted) return say(ctx, `This session is called <b>${escapeHtml(s.name)}</b>. Rename it with /rename new-name.`);
    try {
      const renamed = deps.core.sessions.rename(s.id, wanted, actorOf(ctx.from?.id ?? 0));
      say(ctx, `✏️ ${escapeHtml(s.name)} is now called <b>${escapeHtml(renamed.name)}</b>.`);
    } catch (err) {
      if (!(err instanceof ReinsError)) throw err;
      say(ctx, `❌ ${escapeHtml(err.message)}`);
    }
  });

  // `/export [session] [md|json|html]`: the transcript as a document.
  c.command('export', (ctx) => {
    const args = parseExportArgs(String(ctx.match ?? ''));
    if (!args) return say(ctx, 'Usage: /export [md|json|html], or /export session [md|json|html].');
    const s = args.target ? named(ctx, args.target) : current(ctx);
    if (!s) return args.target ? undefined : say(ctx, NO_SESSION);
    sendTranscript(deps, ctx, s, args.format);
  });

  menus.set('mode', (tap, target, mode) => {
    const sessionId = target.menu.slice('mode:'.length);
    const s = deps.sessions.get(sessionId) ?? deps.core.sessions.get(sessionId).session;
    const asked = deps.passcode.guard(modeGate(s, mode as SessionMode, tap.place, tap.userId));
    if (asked !== null) throw new ButtonKept(asked);
    deps.core.sessions.setMode(sessionId, mode as SessionMode, actorOf(tap.userId));
    return `Mode is now ${mode}`;
  });

  c.command('grants', (ctx) => {
    const grants = deps.core.grants.list().slice(0, MENU_ITEMS);
    if (grants.length === 0) return say(ctx, 'No standing permissions. “Allow for this session” on an approval creates one.');
    const handle = menu(
      ctx,
      'revoke',
      grants.map((g) => g.id),
    );
    const lines = grants.map((g, i) => `${i + 1}. ${grantText(deps, g)}`);
    say(
      ctx,
      `<b>Standing permissions</b> (tap to revoke)\n${lines.join('\n')}`,
      grants.map((_, i) => [{ text: `🗑 Revoke ${i + 1}`, payload: { handle, action: `answer:${i}` } }]),
    );
  });

  menus.set('revoke', (tap, _target, grantId) => {
    const g = deps.core.grants.list().find((x) => x.id === grantId);
    const asked = g ? deps.passcode.guard(revokeGate(g, grantText(deps, g), tap.place, tap.userId)) : null;
    if (asked !== null) throw new ButtonKept(asked);
    deps.core.grants.revoke(grantId, actorOf(tap.userId));
    return 'Revoked.';
  });

  c.command('approvals', (ctx) => {
    const pending = deps.core.approvals.list('pending').slice(0, MENU_ITEMS);
    if (pending.length === 0) return say(ctx, '✨ Nothing waits for you.');
    const lines = pending.map((a, i) => `${i + 1}. ${approvalLine(deps, a)}`);
    const rows: ButtonSpec[][] = pending.map((a, i) =>
      a.kind === 'question'
        ? [{ text: `❌ ${i + 1}`, payload: { handle: a.handle, action: 'deny' } }]
        : [
            { text: `✅ ${i + 1}`, payload: { handle: a.handle, action: 'allow' } },
            { text: `❌ ${i + 1}`, payload: { handle: a.handle, action: 'deny' } },
          ],
    );
    say(ctx, `<b>Waiting for you</b>\n${lines.join('\n')}`, rows);
  });

  return c;
}

function statusText(deps: FeatureDeps, s: Session): string {
  const { pendingApprovals, followups } = deps.core.sessions.get(s.id);
  const queued = followups.filter((f) => f.state === 'queued').length;
  return [
    `${sessionLabel(s)}\nName: <code>@${escapeHtml(s.name)}</code>`,
    `${stateText(s)}${s.stateReason ? ` — ${escapeHtml(s.stateReason)}` : ''}`,
    `Mode: <b>${s.mode}</b> · id <code>${shortId(s.id)}</code>`,
    `Approvals waiting: ${pendingApprovals.length} · queued messages: ${queued}`,
    budgetLine(s) ?? '',
    `<code>${escapeHtml(s.cwd)}</code>`,
  ]
    .filter(Boolean)
    .join('\n');
}

function grantText(deps: FeatureDeps, g: Grant): string {
  const session = g.sessionId ? deps.sessions.get(g.sessionId) : undefined;
  const where = g.sessionId ? `session ${sessionLabel(session)}` : `project ${escapeHtml(g.projectId ?? '')}`;
  return `${escapeHtml(deps.redactor()(describeGrantMatcher(g.tool, g.matcher, session?.cwd, deps.redactor())))} — ${g.scope} (${where})`;
}

function approvalLine(deps: FeatureDeps, a: Approval): string {
  const s = deps.sessions.get(a.sessionId);
  const what =
    a.kind === 'plan'
      ? 'plan'
      : a.kind === 'question'
        ? `question: ${escapeHtml(a.questions?.[0]?.question ?? '')}`
        : a.kind === 'budget'
          ? escapeHtml(a.action.title)
          : `${escapeHtml(actionLabel(a.action))} <code>${escapeHtml(redactThenShorten(deps.redactor(), actionSubject(a.action), 80))}</code>`;
  const mins = Math.max(0, Math.round((a.expiresAt - deps.clock.now()) / 60_000));
  return `${what} · ${a.risk.level} risk · ${sessionLabel(s)} · ${mins} min left`;
}
