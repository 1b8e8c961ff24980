/**
 * What touching one path means for risk: outside the project, secret, system or agent settings,
 * a device, the home directory itself. Shared by the shell classifier and the file tools so a
 * path is judged the same way whichever tool reaches it.
 */
import path from 'node:path';
import type { Finding } from './risk-model.ts';
import { finding } from './risk-model.ts';
import type { PathProbe } from './paths.ts';
import { isInside, resolveReal } from './paths.ts';
import type { PathAccess } from './rules-types.ts';
import { isHarmlessDevice, privilegedWriteReason, reinsPathReason, secretPathReason } from './sensitive-paths.ts';

/** Where the project and home really are, plus the optional symlink probe. */
export interface PathEnv {
  homeDir: string;
  /** Project root with symlinks resolved. */
  realProject: string;
  /** Home directory with symlinks resolved. */
  realHome: string;
  probe?: PathProbe;
  /** Reins' own locations: reaching into them is tagged `reins`. */
  protectedPaths?: readonly string[];
  /** Reins' API ports on loopback: connecting to them is tagged `reins`. */
  protectedPorts?: readonly number[];
}

const VERB: Readonly<Record<PathAccess, string>> = {
  read: 'reads',
  'read-tree': 'reads everything in',
  write: 'writes',
  overwrite: 'overwrites',
  delete: 'deletes',
  link: 'links to',
};

const KNOWN_FILES = new Set(['Makefile', 'Dockerfile', 'LICENSE', 'README', 'Gemfile', 'Procfile', 'Rakefile', 'Jenkinsfile', 'Vagrantfile', 'CODEOWNERS']);

/** A target that probably exists already: has an extension, is a dotfile, or is a well-known file name. */
function existingLooking(absolute: string): boolean {
  const name = path.basename(absolute);
  return /\.[A-Za-z0-9]+$/.test(name) || name.startsWith('.') || KNOWN_FILES.has(name);
}

/** What deleting `absolute` would wipe out as a whole, or null for an ordinary target. */
function wholeTreeName(absolute: string, env: PathEnv): string | null {
  if (absolute === path.parse(absolute).root) return 'the whole filesystem';
  if (absolute === env.realHome || absolute === path.resolve(env.homeDir)) return 'the whole home directory';
  if (isInside(env.realHome, absolute)) return 'a directory containing the home directory';
  if (absolute !== env.realProject && isInside(env.realProject, absolute)) return 'a directory containing the project';
  return null;
}

/**
 * Findings for `raw` (absolute, not yet normalised) accessed as `access`. `display` is how the
 * path is shown in reasons; `secretHint` adds a secret reason found another way (a shell pattern).
 */
export function assessPath(raw: string, display: string, access: PathAccess, env: PathEnv, secretHint: string | null = null): Finding[] {
  const lexical = path.resolve(raw);
  if (isHarmlessDevice(lexical)) return [];
  const resolved = resolveReal(raw, env.probe);
  if (!resolved.ok) {
    return [finding('outside-project', `${VERB[access]} ${display}, which ${resolved.reason.replace(/^the path /, '')}`)];
  }
  const abs = resolved.path;
  const out: Finding[] = [];
  // Both the path as written and where it leads: a link into the data directory is a way in too.
  const reins = reinsPathReason(abs, env, access === 'read-tree') ?? reinsPathReason(lexical, env, access === 'read-tree');
  if (reins !== null) out.push(finding('reins', `${VERB[access]} ${display}: ${reins}; agents may not reach it`));
  const inside = isInside(abs, env.realProject);
  const secret = secretHint ?? secretPathReason(abs, env);
  if (secret !== null) out.push(finding('secrets', `${VERB[access]} a secret file (${display}: ${secret})`));
  if (access === 'read' || access === 'read-tree' || access === 'link') {
    if (!inside) out.push(finding('outside-project', `${VERB[access]} ${display} outside the project`));
    return out;
  }
  if (abs.startsWith('/dev/') && !isHarmlessDevice(abs)) {
    out.push(finding('destructive', `${VERB[access]} a device (${display})`, 'critical'));
  }
  const privileged = privilegedWriteReason(abs, env);
  if (privileged !== null) out.push(finding('privilege', `${privileged} (${display})`));
  if (access === 'delete') {
    const whole = wholeTreeName(abs, env);
    if (whole !== null) out.push(finding('destructive', `deletes ${display} (${whole})`, 'critical'));
  }
  if (!inside) {
    const reason = `${VERB[access]} ${display} outside the project`;
    out.push(finding('outside-project', reason));
    // Destroying something outside the project is the worst case the owner can be asked about.
    if (access === 'delete' || (access === 'overwrite' && existingLooking(abs))) out.push(finding('destructive', reason, 'critical'));
  } else if (access === 'overwrite' && existingLooking(abs)) {
    out.push(finding('destructive', `overwrites ${display} if it exists`));
  }
  return out;
}
