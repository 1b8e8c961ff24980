/**
 * Risk rule for git: which subcommands only read, which write, which discard work, which talk to
 * remotes, and which configuration makes git run other programs.
 */
import type { ShellWord } from './shell-parse.ts';
import { hasFlag, parseArgs } from './shell-words.ts';
import type { CommandCheck, CommandRule } from './rules-types.ts';

const READ = new Set([
  'status',
  'log',
  'diff',
  'show',
  'blame',
  'annotate',
  'shortlog',
  'describe',
  'rev-parse',
  'rev-list',
  'ls-files',
  'ls-tree',
  'cat-file',
  'grep',
  'whatchanged',
  'show-ref',
  'for-each-ref',
  'name-rev',
  'merge-base',
  'count-objects',
  'fsck',
  'help',
  'version',
  'var',
  'check-ignore',
  'check-attr',
  'check-ref-format',
  'diff-tree',
  'diff-files',
  'diff-index',
  'cherry',
  'range-diff',
  'verify-commit',
  'verify-tag',
  'verify-pack',
  'show-branch',
  'stripspace',
  'column',
  'get-tar-commit-id',
]);

const WRITE = new Set([
  'add',
  'commit',
  'mv',
  'apply',
  'am',
  'init',
  'merge',
  'cherry-pick',
  'revert',
  'notes',
  'sparse-checkout',
  'update-index',
  'commit-tree',
  'hash-object',
  'mktag',
  'mktree',
  'read-tree',
  'checkout-index',
  'replace',
  'format-patch',
  'maintenance',
  'lfs',
  'bundle',
  'symbolic-ref',
  'write-tree',
  'merge-file',
  'difftool',
  'mergetool',
]);

const NETWORK = new Set(['push', 'pull', 'fetch', 'clone', 'ls-remote', 'send-email', 'request-pull', 'daemon', 'instaweb', 'svn', 'p4']);

/** Configuration keys that make git run a program or fetch from elsewhere. */
const DANGEROUS_CONFIG =
  /^(alias\.|core\.(pager|editor|sshcommand|hookspath|fsmonitor|askpass|gitproxy|worktree)|.*\.(command|cmd|helper|program|textconv|process|clean|smudge|driver|tool|path)$|credential\.|diff\.external|sequence\.editor|gpg\.|filter\.|include\.|includeif\.|protocol\.|uploadpack\.|receivepack\.|remote\..*\.(uploadpack|receivepack|proxy)$|http\..*proxy|url\.)/i;

function configKeyFinding(c: CommandCheck, key: string, how: string): void {
  if (DANGEROUS_CONFIG.test(key)) {
    c.flag(null, 'high', `sets git configuration ${key} (${how}), which can make git run other programs`);
  }
}

function subcommand(c: CommandCheck, sub: string, args: readonly ShellWord[]): void {
  const p = parseArgs(args, {
    short: 'mCcFSuXx',
    long: [
      'message',
      'file',
      'author',
      'date',
      'template',
      'exec',
      'strategy',
      'strategy-option',
      'upstream',
      'onto',
      'format',
      'output',
      'set-upstream-to',
      'reference',
      'depth',
      'branch',
      'origin',
    ],
  });
  for (const key of ['-m', '--message', '--author', '--date', '--format', '-X', '--strategy-option']) {
    for (const v of p.values.get(key) ?? []) c.skip(v);
  }
  const flag = (...names: string[]): boolean => hasFlag(p, ...names);
  const first = p.operands[0]?.text ?? '';
  switch (sub) {
    case 'clean':
      if (flag('-n', '--dry-run')) return;
      if (flag('-f', '--force')) c.flag('destructive', 'high', 'deletes untracked files (git clean -f)');
      return;
    case 'reset':
      if (flag('--hard', '--merge', '--keep')) c.flag('destructive', 'high', 'discards uncommitted changes (git reset --hard)');
      else c.flag('writes', 'medium', 'moves the branch or unstages files (git reset)');
      return;
    case 'checkout':
      if (flag('-f', '--force', '-p', '--patch', '--ours', '--theirs') || args.some((a) => a.text === '--' || a.text === '.')) {
        c.flag('destructive', 'high', 'discards uncommitted changes (git checkout)');
      } else c.flag('writes', 'medium', 'switches branches or restores files (git checkout)');
      return;
    case 'restore':
      if (flag('-S', '--staged') && !flag('-W', '--worktree')) c.flag('writes', 'medium', 'unstages files (git restore --staged)');
      else c.flag('destructive', 'high', 'discards uncommitted changes (git restore)');
      return;
    case 'switch':
      if (flag('-f', '--force', '--discard-changes')) c.flag('destructive', 'high', 'discards uncommitted changes (git switch --discard-changes)');
      else c.flag('writes', 'medium', 'switches branches (git switch)');
      return;
    case 'stash':
      if (first === 'list' || first === 'show') return;
      if (first === 'drop' || first === 'clear') c.flag('destructive', 'high', `deletes stashed changes (git stash ${first})`);
      else c.flag('writes', 'medium', 'stashes or restores changes (git stash)');
      return;
    case 'branch':
      if (flag('-D') || (flag('-d', '--delete') && flag('-f', '--force')))
        c.flag('destructive', 'high', 'deletes a branch even if it is not merged (git branch -D)');
      else if (flag('-d', '--delete', '-m', '-M', '-c', '-C', '--move', '--copy', '-u', '--set-upstream-to', '--unset-upstream', '--edit-description'))
        c.flag('writes', 'medium', 'changes branches (git branch)');
      else if (p.operands.length > 0 && !flag('-l', '--list', '-a', '--all', '-r', '--remotes', '--contains', '--merged', '--no-merged', '--points-at'))
        c.flag('writes', 'medium', 'creates a branch (git branch)');
      return;
    case 'tag':
      if (flag('-d', '--delete') || (p.operands.length > 0 && !flag('-l', '--list', '-n', '--contains', '--points-at')))
        c.flag('writes', 'medium', 'creates or deletes tags (git tag)');
      return;
    case 'remote':
      if (first === '' || first === 'get-url') return;
      if (/^(show|update|prune)$/.test(first)) c.flag('network', 'high', `contacts a remote (git remote ${first})`);
      else c.flag('writes', 'medium', `changes remotes (git remote ${first})`);
      return;
    case 'worktree':
      if (first === 'list') return;
      if (first === 'remove' && flag('-f', '--force')) c.flag('destructive', 'high', 'deletes a worktree with its changes (git worktree remove --force)');
      else c.flag('writes', 'medium', `changes worktrees (git worktree ${first})`);
      return;
    case 'reflog':
      if (first === 'expire' || first === 'delete') c.flag('destructive', 'high', `deletes history needed for recovery (git reflog ${first})`);
      return;
    case 'gc':
      if (args.some((a) => /^--prune=(now|all)/.test(a.text))) c.flag('destructive', 'high', 'permanently deletes unreachable commits (git gc --prune=now)');
      else c.flag('writes', 'medium', 'compacts the repository (git gc)');
      return;
    case 'prune':
      c.flag('destructive', 'high', 'permanently deletes unreachable objects (git prune)');
      return;
    case 'filter-branch':
    case 'filter-repo':
      c.flag('destructive', 'high', `rewrites the whole history (git ${sub})`);
      return;
    case 'update-ref':
      if (flag('-d')) c.flag('destructive', 'high', 'deletes a ref (git update-ref -d)');
      else c.flag('writes', 'medium', 'changes a ref (git update-ref)');
      return;
    case 'rm':
      if (flag('-f', '--force')) c.flag('destructive', 'high', 'deletes files including uncommitted changes (git rm -f)');
      else c.flag('writes', 'medium', 'removes files from the repository and the working tree (git rm)');
      return;
    case 'rebase':
      c.flag('writes', 'medium', 'rewrites commits (git rebase)');
      if (p.values.has('-x') || p.values.has('--exec')) c.flag(null, 'high', 'runs a command after each commit (git rebase --exec), which cannot be analysed');
      return;
    case 'bisect':
      if (first === 'run') c.flag(null, 'high', 'runs a command for each bisect step (git bisect run), which cannot be analysed');
      else c.flag('writes', 'medium', 'checks out commits to bisect (git bisect)');
      return;
    case 'submodule':
      if (first === 'foreach') c.flag(null, 'high', 'runs a command in each submodule (git submodule foreach), which cannot be analysed');
      else if (/^(update|add|sync|set-url)$/.test(first)) c.flag('network', 'high', `fetches submodules (git submodule ${first})`);
      else if (first !== '' && first !== 'status' && first !== 'summary') c.flag('writes', 'medium', `changes submodules (git submodule ${first})`);
      return;
    case 'config':
      configSubcommand(c, args);
      return;
    case 'archive':
      if (args.some((a) => a.text.startsWith('--remote'))) c.flag('network', 'high', 'fetches an archive from a remote (git archive --remote)');
      for (const v of p.values.get('-o') ?? p.values.get('--output') ?? []) c.path(v, 'overwrite');
      return;
    case 'push': {
      c.flag('network', 'high', 'pushes to a remote (git push)');
      const force = flag('-f', '--force', '--force-with-lease', '--force-if-includes', '--mirror', '-d', '--delete', '--prune');
      if (force || p.operands.slice(1).some((a) => /^[+:]/.test(a.text))) {
        c.flag('destructive', 'high', 'overwrites or deletes remote history (git push --force)');
      }
      return;
    }
    case 'clone':
      c.flag('network', 'high', 'downloads a repository (git clone)');
      c.flag('writes', 'medium', 'creates a new checkout (git clone)');
      for (const a of p.operands.slice(0, 1)) c.skip(a);
      if (p.operands[1] !== undefined) c.path(p.operands[1], 'write');
      return;
  }
  if (sub === 'commit' && flag('--amend')) c.flag('writes', 'medium', 'rewrites the last commit (git commit --amend)');
  // An external diff or text conversion driver is a program named in the repository's own config.
  if (flag('--ext-diff') || (flag('--textconv') && sub !== 'cat-file')) {
    c.flag(null, 'high', `runs the diff program the repository configures (git ${sub} --ext-diff), which cannot be analysed`);
  }
  if (sub === 'grep' && flag('--untracked', '--no-index')) {
    const paths = args.slice(args.findIndex((a) => a.text === '--') + 1).filter(() => args.some((a) => a.text === '--'));
    for (const v of paths.length > 0 ? paths : [c.currentDirectory()]) c.path(v, 'read-tree');
  }
  if (NETWORK.has(sub)) {
    c.flag('network', 'high', `talks to a remote (git ${sub})`);
    if (sub === 'pull') c.flag('writes', 'medium', 'merges remote changes into the working tree (git pull)');
    for (const a of p.operands) c.skip(a);
  } else if (WRITE.has(sub)) c.flag('writes', 'medium', `changes the repository (git ${sub})`);
  else if (!READ.has(sub) && sub !== '') c.flag('writes', 'medium', `runs git ${sub}, which Reins does not know (it may be an alias)`);
}

function configSubcommand(c: CommandCheck, args: readonly ShellWord[]): void {
  const p = parseArgs(args, { short: 'f', long: ['file', 'blob', 'type', 'default', 'comment', 'value'] });
  const readOnly =
    hasFlag(p, '--get', '--get-all', '--get-regexp', '--get-urlmatch', '--list', '-l', '--show-origin', '--show-scope', '--get-color', '--get-colorbool') ||
    p.operands[0]?.text === 'get' ||
    p.operands[0]?.text === 'list' ||
    p.operands.length === 1;
  for (const a of p.operands) c.skip(a);
  if (readOnly) return;
  const ops = /^(set|unset|rename-section|remove-section|edit)$/.test(p.operands[0]?.text ?? '') ? p.operands.slice(1) : p.operands;
  const key = ops[0]?.text ?? '';
  c.flag('writes', 'medium', `changes git configuration (git config ${key})`.replace(' )', ')'));
  configKeyFinding(c, key, 'git config');
  if (hasFlag(p, '--system')) c.flag('privilege', 'critical', 'changes system-wide git configuration (git config --system)');
  else if (hasFlag(p, '--global')) c.flag('outside-project', 'high', 'changes your global git configuration (git config --global)');
  for (const v of p.values.get('-f') ?? p.values.get('--file') ?? []) c.path(v, 'write');
}

/** The git rule: global options first (`-C`, `-c`, `--git-dir`), then the subcommand. */
export const git: CommandRule = (c) => {
  const p = parseArgs(c.args, {
    short: 'Cc',
    long: ['git-dir', 'work-tree', 'namespace', 'config-env', 'super-prefix', 'attr-source', 'list-cmds'],
    stopAtOperand: true,
  });
  for (const v of p.values.get('-c') ?? []) {
    c.skip(v);
    configKeyFinding(c, v.text.split('=')[0] ?? '', 'git -c');
  }
  if (p.values.has('--config-env')) c.flag(null, 'high', 'takes git configuration from the environment (--config-env), which cannot be analysed');
  if (c.args.some((a) => /^--exec-path=/.test(a.text))) c.flag(null, 'high', 'runs git programs from another directory (--exec-path)');
  for (const key of ['-C', '--git-dir', '--work-tree']) for (const v of p.values.get(key) ?? []) c.path(v, 'read');
  const sub = c.args[p.rest];
  if (sub === undefined) return;
  c.skip(sub);
  subcommand(c, sub.text, c.args.slice(p.rest + 1));
};
