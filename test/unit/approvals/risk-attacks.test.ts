/**
 * The classifier against the attacks of the security review: commands that run other commands,
 * reads of other processes' environments, secret material, and everything that reaches Reins
 * itself (its data directory, keychain entries and API port). Each row failed on the classifier
 * before it was fixed; the benign forms must stay low, or the owner is asked about every harmless call.
 */
import { describe, expect, it } from 'vitest';
import type { RiskLevel } from '../../../src-main/contract/domain.ts';
import { classifyToolCall } from '../../../src-main/core/approvals/index.ts';
import { claudeAction } from '../../../src-main/core/agents/claude/action.ts';

const PROJECT = '/home/u/proj';
const HOME = '/home/u';
const DATA = '/home/u/.local/share/reins';
const ctx = { projectDir: PROJECT, homeDir: HOME, protectedPaths: [DATA, `${DATA}/runtime.json`], protectedPorts: [7717, 41234] };
/** A session started in the home folder: the project contains the data directory. */
const atHome = { ...ctx, projectDir: HOME };
const LEVELS: RiskLevel[] = ['low', 'medium', 'high', 'critical'];

const bash = (command: string, c: typeof ctx = ctx) => classifyToolCall(claudeAction('Bash', { command }), c);
const atLeast = (level: RiskLevel, min: RiskLevel) => LEVELS.indexOf(level) >= LEVELS.indexOf(min);

describe('commands that run other commands are at least high', () => {
  const rows: string[] = [
    ':(){ :|:& };:',
    'bomb() { bomb | bomb & }; bomb',
    'less +"!rm -rf ~" README.md',
    "less '+!sh' README.md",
    'LESSOPEN="|sh -c id %s" less README.md',
    'man -P "sh -c \'rm -rf ~\'" ls',
    'man --pager="sh -c id" ls',
    'MANPAGER="sh -c id" man ls',
    'ls | xargs sh -c "id"',
    "vim -c ':!rm -rf ~' f",
    'vi +":!id" f',
    'nvim --cmd "lua os.execute(\'id\')"',
    'ex -S evil.vim f',
    'tar --checkpoint=1 --checkpoint-action=exec=id -cf a.tar f',
    'tar -I "sh -c id" -xf a.tar',
    'tar --use-compress-program="sh -c id" -xf a.tar',
    'tar --to-command="sh -c id" -xf a.tar',
    'zip -TT "sh -c id" a.zip f',
    'zip --unzip-command="sh -c id" -T a.zip f',
    'exec sh',
    'exec bash',
    'bash',
    'git diff --ext-diff',
    'git log -p --ext-diff',
    'git -c core.pager="sh -c id" log',
    'git -c alias.x="!sh" x',
    'awk \'BEGIN{system("id")}\'',
    'awk \'{print | "sh"}\' f',
    'perl -e "system(1)"',
    'ruby -e "exit"',
    'python3 -c "print(1)"',
    'node -e "1"',
    "sed 's/x/id/e' f",
    'find . -exec rm -rf {} \\;',
  ];
  it.each(rows)('%s', (command) => {
    const risk = bash(command);
    expect(atLeast(risk.level, 'high'), `${risk.level}: ${risk.reasons.join('; ')}`).toBe(true);
  });

  it.each([
    'less README.md',
    'man ls',
    'jq .name package.json',
    'git diff',
    'git log --oneline',
    'tar tf a.tar',
    "awk '{print $1}' f",
    "find . -name '*.ts'",
    'find . -exec wc -l {} +',
    'ps -ef',
    'grep -r todo src',
    'rg todo',
    'cat README.md',
    'ls -R .',
    'env ls',
    'timeout 5 ls',
  ])('%s stays low in an ordinary project', (command) => {
    expect(bash(command)).toMatchObject({ level: 'low', tags: [] });
  });
});

describe("reading other processes' environments and secret material always touches secrets", () => {
  const rows: string[] = [
    'ps eww 1234',
    'ps auxe',
    'ps e',
    'ps -E',
    'ps -o pid,environ 1',
    'cat /proc/1/environ',
    'tr "\\0" "\\n" < /proc/1/environ',
    'strings /proc/self/environ',
    'cat /proc/*/environ',
    'jq -n env',
    'jq -n "$ENV"',
    'env',
    'printenv',
    'cat .env',
    'cat config/.env.production',
    'head services/api/.env.local',
    'cat .envrc',
    'cat ~/.ssh/id_ed25519',
    'ls ~/.ssh',
    'cat ~/.aws/credentials',
    'cat ~/.config/gh/hosts.yml',
    'security dump-keychain',
    'security find-generic-password -w -s github',
    'secret-tool lookup service github',
    'gpg --export-secret-keys',
    'pass show mail',
    'keyring get github user',
    'grep -r password --include=".env*" .',
  ];
  it.each(rows)('%s', (command) => {
    const risk = bash(command);
    expect(risk.tags).toContain('secrets');
    expect(atLeast(risk.level, 'high')).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ['Read', { file_path: '.env' }],
    ['Read', { file_path: 'packages/web/.env.production' }],
    ['Read', { file_path: '~/.ssh/id_rsa' }],
    ['Grep', { pattern: 'KEY', path: '~/.aws' }],
    ['Grep', { pattern: 'KEY', glob: '.env*' }],
  ])('%s %j (a read-only tool) touches secrets', (tool, input) => {
    expect(classifyToolCall(claudeAction(tool, input), ctx).tags).toContain('secrets');
  });
});

describe('Reins itself: its data, keychain entries and API are out of reach', () => {
  const rows: Array<[string, string, typeof ctx]> = [
    ['the runtime file', `cat ${DATA}/runtime.json`, ctx],
    ['the secrets file', `cat ${DATA}/secrets.json`, ctx],
    ['the database', `sqlite3 ${DATA}/reins.db .dump`, ctx],
    ['through ~', 'cat ~/.local/share/reins/runtime.json', ctx],
    ['through $HOME', 'cat "$HOME/.local/share/reins/runtime.json"', ctx],
    ['after cd', 'cd ~/.local/share/reins && cat runtime.json', ctx],
    ['a redirect from it', `wc -c < ${DATA}/runtime.json`, ctx],
    ['an option value', `git --git-dir=${DATA} log`, ctx],
    ['a glob that reaches it', 'cat ~/.local/share/rei*/run*', ctx],
    ['a glob of every file two levels down in a parent', `cat ${HOME}/.local/share/*/*`, ctx],
    ['deleting it', `rm -rf ${DATA}`, ctx],
    ['grep -r over the project that contains it', 'grep -r token .', atHome],
    ['grep -R over a parent', 'grep -R token /home', ctx],
    ['rg with no path in a project containing it', 'rg token', atHome],
    ['find -exec cat over a parent', 'find ~ -type f -exec cat {} +', ctx],
    ['find piped to xargs cat', 'find . -type f | xargs cat', atHome],
    ['an archive of a parent', 'tar czf /tmp/all.tgz ~/.local', ctx],
    ['a recursive copy of a parent', 'cp -r ~/.local /tmp/x', ctx],
    ['git grep of untracked files', 'git grep --untracked token', atHome],
    ['its keychain entry', 'secret-tool lookup service reins name telegram.bot-token', ctx],
    ['its keychain entry (macOS)', 'security find-generic-password -s reins -w', ctx],
    ['its API by curl', 'curl -s http://127.0.0.1:7717/api/v1/approvals', ctx],
    ['its API by localhost', 'wget -qO- localhost:7717/api/v1/sessions', ctx],
    ['its API on IPv6', 'curl http://[::1]:7717/', ctx],
    ['its API by nc', 'nc 127.0.0.1 7717', ctx],
    ['its API by /dev/tcp', 'exec 3<>/dev/tcp/127.0.0.1/7717', ctx],
    ['its API inside python -c', 'python3 -c "import urllib.request as u; u.urlopen(\'http://127.0.0.1:41234/api/v1/approvals\')"', ctx],
    ['its API in a here-document', "python3 <<'EOF'\nimport socket\nsocket.create_connection(('localhost', 7717))\nEOF", ctx],
  ];
  it.each(rows)('%s: %s', (_label, command, c) => {
    const risk = bash(command, c);
    expect(risk.tags, risk.reasons.join('; ')).toContain('reins');
    expect(risk.level).toBe('critical');
  });

  it.each<[string, Record<string, unknown>, typeof ctx]>([
    ['Read', { file_path: `${DATA}/runtime.json` }, ctx],
    ['Write', { file_path: `${DATA}/config.json`, content: '{}' }, ctx],
    ['Edit', { file_path: '~/.local/share/reins/config.json', old_string: 'a', new_string: 'b' }, ctx],
    ['Grep', { pattern: 'token' }, atHome],
    ['Grep', { pattern: 'token', path: '/home/u/.local' }, ctx],
    ['WebFetch', { url: 'http://127.0.0.1:7717/api/v1/approvals' }, ctx],
    ['WebFetch', { url: 'http://localhost:41234/' }, ctx],
  ])('%s %j reaches Reins', (tool, input, c) => {
    expect(classifyToolCall(claudeAction(tool, input), c).tags).toContain('reins');
  });

  it.each([
    ['ls *.md', atHome],
    ['cat ~/notes.txt', ctx],
    ['ls -R .', atHome],
    ['du -sh ~', ctx],
    ['curl http://127.0.0.1:8080/', ctx],
    ['grep -r todo src', atHome],
  ] as const)('%s does not reach Reins', (command, c) => {
    expect(bash(command, c).tags).not.toContain('reins');
  });

  it('names the folder it protects in the reason the agent will read', () => {
    expect(bash(`cat ${DATA}/runtime.json`).reasons.join()).toContain(DATA);
  });
});
