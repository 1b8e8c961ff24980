/**
 * /new: a small wizard with inline buttons — project → agent → mode → prompt — that starts a
 * session and makes it the current one. The state lives in the pending prompt, so the owner's
 * next text (a directory path or the prompt) completes the step it waits for.
 */
import { statSync } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import { Composer, type Context } from 'grammy';
import type { AgentId, SessionMode } from '../../../contract/index.ts';
import { ReinsError } from '../../../core/errors.ts';
import { escapeHtml } from '../format/index.ts';
import type { PendingPrompt, Place } from '../state.ts';
import { sessionLabel } from '../views/session-label.ts';
import type { ButtonSpec, Keyboard } from '../writer.ts';
import { actorOf, fire, placeOfMessage, reply, type FeatureDeps, type MenuHandler, type Tap } from './deps.ts';

type Wizard = Extract<PendingPrompt, { kind: 'wizard' }>;

const PROJECTS_SHOWN = 8;
/** Mode choices: the three session modes, plus ask-mode that plans first. */
const MODE_CHOICES = ['ask', 'auto', 'standby', 'plan'] as const;
const MODE_LABELS: Record<(typeof MODE_CHOICES)[number], string> = {
  ask: '✋ ask',
  auto: '🚀 auto',
  standby: '💤 standby',
  plan: '📋 plan first',
};

/** Builds the /new Composer and registers its menus. */
/**
 * The agents the wizard offers: those whose calls pass Reins' approvals (a terminal runs whatever it is
 * sent, so the chat reaches one only through /shell, when the owner turned it on), installed ones first
 * (all of them when none is found, so the owner sees the choice).
 */
function agentChoices(deps: FeatureDeps): { ids: string[]; label: (id: string) => string } {
  const all = deps.core.agents().filter((a) => a.capabilities.approvals);
  const installed = all.filter((a) => a.installed);
  const names = new Map(all.map((a) => [a.id, a.displayName]));
  return { ids: (installed.length > 0 ? installed : all).map((a) => a.id), label: (id) => names.get(id) ?? id };
}

export function newSessionFeature(deps: FeatureDeps, menus: Map<string, MenuHandler>): Composer<Context> {
  const c = new Composer<Context>();
  const menuHandle = (chatId: number, menu: string, options: string[]): string =>
    deps.state.newHandle({ kind: 'menu', menu, options, chatId, expiresAt: deps.clock.now() + deps.tuning.promptTtlMs });
  const buttons = (chatId: number, menu: string, options: readonly string[], label: (o: string) => string): Keyboard => {
    const handle = menuHandle(chatId, menu, [...options]);
    const all: ButtonSpec[] = options.map((o, i) => ({ text: label(o), payload: { handle, action: `answer:${i}` } }));
    const rows: ButtonSpec[][] = [];
    for (let i = 0; i < all.length; i += 2) rows.push(all.slice(i, i + 2));
    return rows;
  };

  /** Shows the next step, editing the wizard message when its id is known. */
  const show = (w: Wizard, html: string, keyboard: Keyboard | undefined, messageId: number | null): void => {
    deps.state.setPrompt({ ...w, messageId, expiresAt: deps.clock.now() + deps.tuning.promptTtlMs });
    if (messageId !== null) {
      fire(deps, 'wizard.edit', deps.writer.edit(w.place.chatId, { chatId: w.place.chatId, messageId }, html, keyboard ? { keyboard } : {}));
      return;
    }
    deps.tasks.run('wizard.send', async () => {
      const id = await deps.writer.send(w.place, html, keyboard ? { keyboard } : {});
      const p = deps.state.prompt();
      if (p?.kind === 'wizard' && p.step === w.step) deps.state.setPrompt({ ...p, messageId: id });
    });
  };

  const askAgent = (w: Wizard, messageId: number | null): void => {
    const next: Wizard = { ...w, step: 'agent' };
    show(
      next,
      `🆕 <b>New session</b> in <code>${escapeHtml(w.cwd ?? '')}</code>\nWhich agent?`,
      buttons(w.place.chatId, 'wizard.agent', agentChoices(deps).ids, agentChoices(deps).label),
      messageId,
    );
  };
  const askMode = (w: Wizard, messageId: number | null): void => {
    const next: Wizard = { ...w, step: 'mode' };
    show(
      next,
      `🆕 <b>New session</b> · <code>${escapeHtml(basename(w.cwd ?? ''))}</code> · ${escapeHtml(w.agent ?? '')}\nWhich mode?\n• ask: risky calls wait for you\n• auto: everything runs\n• standby: risky calls are denied\n• plan first: the agent plans and asks before acting`,
      buttons(w.place.chatId, 'wizard.mode', MODE_CHOICES, (m) => MODE_LABELS[m as keyof typeof MODE_LABELS]),
      messageId,
    );
  };
  const askPrompt = (w: Wizard, messageId: number | null): void => {
    const next: Wizard = { ...w, step: 'prompt' };
    show(
      next,
      `🆕 <b>New session</b> · <code>${escapeHtml(basename(w.cwd ?? ''))}</code> · ${escapeHtml(w.agent ?? '')} · ${w.plan ? 'plan first' : escapeHtml(w.mode ?? '')}\n✍️ Now send the prompt.`,
      undefined,
      messageId,
    );
  };

  c.command('new', (ctx) => {
    const msg = ctx.msg;
    if (!msg) return;
    const place: Place = placeOfMessage(msg);
    const recent = new Map<string, number>();
    for (const s of deps.core.sessions.list()) recent.set(s.cwd, Math.max(recent.get(s.cwd) ?? 0, s.updatedAt));
    const projects = deps.core.projects
      .list()
      .map((p) => p.path)
      .sort((a, b) => (recent.get(b) ?? 0) - (recent.get(a) ?? 0))
      .slice(0, PROJECTS_SHOWN);
    const w: Wizard = { kind: 'wizard', place, step: 'project', cwd: null, agent: null, mode: null, plan: false, messageId: null, expiresAt: 0 };
    const text = projects.length
      ? '🆕 <b>New session</b>\nPick a project, or send the absolute path of a directory:'
      : '🆕 <b>New session</b>\nSend the absolute path of the project directory:';
    show(w, text, projects.length ? buttons(place.chatId, 'wizard.project', projects, (p) => basename(p) || p) : undefined, null);
  });

  const current = (tap: Tap, step: Wizard['step']): Wizard | null => {
    const p = deps.state.prompt();
    return p?.kind === 'wizard' && p.step === step && p.place.chatId === tap.place.chatId ? p : null;
  };
  menus.set('wizard.project', (tap, _t, cwd) => {
    const w = current(tap, 'project');
    if (!w) return 'This /new has expired; start again with /new.';
    askAgent({ ...w, cwd }, tap.messageId);
    return basename(cwd);
  });
  menus.set('wizard.agent', (tap, _t, agent) => {
    const w = current(tap, 'agent');
    if (!w) return 'This /new has expired; start again with /new.';
    askMode({ ...w, agent }, tap.messageId);
    return agent;
  });
  menus.set('wizard.mode', (tap, _t, mode) => {
    const w = current(tap, 'mode');
    if (!w) return 'This /new has expired; start again with /new.';
    askPrompt({ ...w, mode: mode === 'plan' ? 'ask' : mode, plan: mode === 'plan' }, tap.messageId);
    return MODE_LABELS[mode as keyof typeof MODE_LABELS] ?? mode;
  });

  return c;
}

/**
 * The owner's text while a wizard waits: a directory at the project step, the prompt at the
 * prompt step. Returns false when the wizard waits for a tap instead.
 */
export function wizardText(deps: FeatureDeps, ctx: Context, w: Wizard, text: string): boolean {
  const userId = ctx.from?.id ?? 0;
  if (w.step === 'project') {
    const path = text.trim();
    let ok = false;
    try {
      ok = isAbsolute(path) && statSync(path).isDirectory();
    } catch {
      ok = false;
    }
    if (!ok) {
      fire(
        deps,
        'wizard.reply',
        reply(deps, ctx, `<code>${escapeHtml(path)}</code> is not a directory on this computer. Send an absolute path, e.g. <code>/home/you/project</code>.`),
      );
      return true;
    }
    const next: Wizard = { ...w, cwd: path, step: 'agent', messageId: null };
    deps.state.setPrompt({ ...next, expiresAt: deps.clock.now() + deps.tuning.promptTtlMs });
    const agents = agentChoices(deps);
    const handle = deps.state.newHandle({
      kind: 'menu',
      menu: 'wizard.agent',
      options: agents.ids,
      chatId: w.place.chatId,
      expiresAt: deps.clock.now() + deps.tuning.promptTtlMs,
    });
    fire(
      deps,
      'wizard.reply',
      reply(deps, ctx, `🆕 <b>New session</b> in <code>${escapeHtml(path)}</code>\nWhich agent?`, {
        keyboard: [agents.ids.map((a, i) => ({ text: agents.label(a), payload: { handle, action: `answer:${i}` as const } }))],
      }),
    );
    return true;
  }
  if (w.step !== 'prompt') return false;
  deps.state.setPrompt(null);
  try {
    const session = deps.core.sessions.create(
      { agent: (w.agent ?? 'claude') as AgentId, cwd: w.cwd ?? '', prompt: text, mode: (w.mode ?? 'ask') as SessionMode, plan: w.plan },
      actorOf(userId),
    );
    deps.state.setFocus(session.id);
    deps.sessions.update(session);
    const where = deps.routing.forumChatId !== null ? ' Its messages go to a topic of its own.' : '';
    fire(deps, 'wizard.reply', reply(deps, ctx, `🚀 Started ${sessionLabel(session)}. It is now the current session.${where}`));
    // In a forum the session's topic is created now, so its first approval need not wait for it.
    fire(deps, 'wizard.topic', deps.routing.placeFor(session.id));
  } catch (err) {
    if (!(err instanceof ReinsError)) throw err;
    fire(deps, 'wizard.reply', reply(deps, ctx, `❌ Could not start the session: ${escapeHtml(err.message)}`));
  }
  return true;
}
