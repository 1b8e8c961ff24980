/**
 * The grant an "allow for this session/project" creates for one call: exact by default, with one
 * wider form the owner may pick explicitly. Calls no grant may cover (critical, secrets, Reins
 * itself, or a target that cannot be pinned down) get no offer: they can only be allowed once.
 */
import path from 'node:path';
import type { GrantOffer, Risk, ToolAction } from '../../contract/index.ts';
import { commandSignature } from './grant-match.ts';
import { grantTarget, type TargetContext } from './grant-target.ts';
import { parseShell } from './shell-parse.ts';

/** Risk that no grant may ever cover. */
export function ungrantable(risk: Risk): boolean {
  return risk.level === 'critical' || risk.tags.includes('secrets') || risk.tags.includes('reins');
}

/** The wider shell grant: only for one plain command, so the prefix cannot stand for a pipeline. */
function widerCommand(command: string): GrantOffer['wider'] {
  const parsed = parseShell(command);
  const only = parsed.commands[0];
  if (parsed.opaque || parsed.commands.length !== 1 || only === undefined || only.redirects.length > 0 || only.argv.length === 0) return null;
  return { kind: 'command-prefix', prefix: command.trim().replace(/\s+/g, ' ') };
}

/** What "allow for this session/project" may grant for `action` at `risk`. */
export function grantOfferFor(action: ToolAction, risk: Risk, ctx: TargetContext): GrantOffer | null {
  if (ungrantable(risk)) return null;
  const target = grantTarget(action, ctx);
  switch (target.kind) {
    case 'shell':
      // An opaque line is granted only as its identical text; a prefix of it would mean nothing.
      return {
        exact: { kind: 'command', command: target.command.trim() },
        wider: commandSignature(target.command) === null ? null : widerCommand(target.command),
      };
    case 'files': {
      const file = target.paths[0];
      if (file === undefined || target.paths.length !== 1) return null;
      return { exact: { kind: 'file', path: file }, wider: { kind: 'folder', path: path.dirname(file) } };
    }
    case 'search':
      return { exact: { kind: 'folder', path: target.root }, wider: null };
    case 'fetch':
      return { exact: { kind: 'origin', origin: target.origin }, wider: null };
    case 'input':
      return { exact: { kind: 'input', input: target.input }, wider: { kind: 'any' } };
    case 'unknown':
      return null;
  }
}
