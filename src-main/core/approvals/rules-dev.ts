/**
 * Risk rules for developer tooling: package managers, language interpreters, shells running
 * scripts, and database clients.
 */
import type { ShellWord } from './shell-parse.ts';
import { SHELL_NAMES, parseArgs } from './shell-words.ts';
import type { CommandCheck, CommandRule } from './rules-types.ts';

/** Shells and interpreters that execute code they read from standard input. */
export const CODE_RUNNERS: ReadonlySet<string> = new Set([
  ...SHELL_NAMES,
  'python',
  'python2',
  'python3',
  'pypy',
  'pypy3',
  'node',
  'nodejs',
  'deno',
  'bun',
  'ruby',
  'perl',
  'php',
  'lua',
  'luajit',
  'Rscript',
  'julia',
  'osascript',
  'pwsh',
  'powershell',
  'tclsh',
  'source',
  '.',
  'eval',
]);

/** Option that takes inline code, by interpreter. */
const INLINE_CODE: Readonly<Record<string, RegExp>> = {
  python: /^-[a-zA-Z]*c/,
  python2: /^-[a-zA-Z]*c/,
  python3: /^-[a-zA-Z]*c/,
  pypy: /^-[a-zA-Z]*c/,
  pypy3: /^-[a-zA-Z]*c/,
  node: /^(-e|-p|--eval|--print|-pe)(=|$)/,
  nodejs: /^(-e|-p|--eval|--print|-pe)(=|$)/,
  bun: /^(-e|-p|--eval|--print)(=|$)/,
  deno: /^eval$/,
  ruby: /^-[a-zA-Z]*e/,
  perl: /^-[a-zA-Z]*[eE]/,
  php: /^-r/,
  lua: /^-e/,
  luajit: /^-e/,
  Rscript: /^-e/,
  julia: /^(-e|--eval)/,
  osascript: /^-e/,
  pwsh: /^-(c|command|encodedcommand|ec)$/i,
  powershell: /^-(c|command|encodedcommand|ec)$/i,
};

/** Option letters (per interpreter) that take a value, so the script operand is found correctly. */
const VALUE_OPTIONS: Readonly<Record<string, string>> = { python: 'WXm', python3: 'WXm', node: 'r', ruby: 'IrC', perl: 'IMm' };

const interpreter: CommandRule = (c) => {
  const inline = INLINE_CODE[c.name];
  const inlineIndex = inline === undefined ? -1 : c.args.findIndex((a) => inline.test(a.text));
  if (inlineIndex !== -1) {
    c.flag(null, 'high', `runs inline ${c.name} code, which cannot be analysed`);
    for (const a of c.args.slice(inlineIndex)) c.skip(a);
    return;
  }
  if (/^perl$/.test(c.name) && c.args.some((a) => /^-[a-zA-Z]*i/.test(a.text))) {
    c.flag('writes', 'medium', 'edits files in place (perl -i)');
  }
  const p = parseArgs(c.args, { short: VALUE_OPTIONS[c.name] ?? '', stopAtOperand: true });
  const module = p.values.get('-m')?.[0];
  if (module !== undefined) {
    pythonModule(c, module.text, c.args.slice(p.rest));
    return;
  }
  const script = c.args[p.rest];
  if (script === undefined || script.text === '-') {
    if (c.command.redirects.some((r) => r.op === '<<' || r.op === '<<-' || r.op === '<<<')) {
      c.flag(null, 'high', `runs inline ${c.name} code from a here-document, which cannot be analysed`);
    } else c.flag('writes', 'medium', `runs ${c.name}, which may change files`);
    return;
  }
  c.path(script, 'read');
  c.flag('writes', 'medium', `runs ${script.text} with ${c.name}, which may change files`);
};

function pythonModule(c: CommandCheck, module: string, rest: readonly ShellWord[]): void {
  if (module === 'pip' || module === 'pip3') pip({ ...c, name: 'pip', args: rest });
  else if (module === 'http.server' || module === 'SimpleHTTPServer') c.flag('network', 'high', `serves files over HTTP (python -m ${module})`);
  else c.flag('writes', 'medium', `runs python module ${module}, which may change files`);
}

/** A shell running a script file (`bash x.sh`); `-c` strings are parsed and classified on their own. */
const shell: CommandRule = (c) => {
  const p = parseArgs(c.args, { short: 'oO', long: ['rcfile', 'init-file'], stopAtOperand: true });
  if ([...p.flags].some((f) => /^-[a-zA-Z]*c/.test(f) || f === '--command')) return;
  const script = c.args[p.rest];
  if (script === undefined) {
    const fromFile = c.command.redirects.find((r) => r.op === '<' && !r.target.dynamic);
    if (fromFile !== undefined) c.flag('writes', 'medium', `runs the script ${fromFile.target.text} (${c.name}), which may change files`);
    else if (!c.command.pipedInput && !c.command.redirects.some((r) => r.op.startsWith('<'))) {
      c.flag(null, 'high', `starts a shell that reads commands from its input (${c.name}), which cannot be analysed`);
    }
    return;
  }
  c.path(script, 'read');
  c.flag('writes', 'medium', `runs the script ${script.text} (${c.name}), which may change files`);
};

const source: CommandRule = (c) => {
  const file = c.args[0];
  if (file === undefined) return;
  c.path(file, 'read');
  c.flag('writes', 'medium', `runs commands from ${file.text} in the current shell`);
};

/** JavaScript package managers: installing runs package scripts from the registry. */
function jsPackages(runsScriptByDefault: boolean): CommandRule {
  return (c) => {
    const p = parseArgs(c.args, { short: 'wC', long: ['prefix', 'workspace', 'registry', 'userconfig', 'cache', 'filter', 'dir', 'cwd'], stopAtOperand: true });
    const sub = c.args[p.rest]?.text ?? '';
    if (c.args[p.rest] !== undefined) c.skip(c.args[p.rest] as ShellWord);
    const rest = c.args.slice(p.rest + 1);
    if (sub === '' && c.name === 'yarn') {
      c.flag('network', 'high', 'installs packages from the registry and runs their install scripts (yarn)');
    } else if (
      /^(install|i|in|ins|inst|insta|instal|isnt|isnta|isntal|add|ci|clean-install|install-clean|update|up|upgrade|remove|rm|r|un|uninstall|unlink|dedupe|ddp|prune|rebuild|link|audit|create|dlx|exec|x|import|fetch|sync)$/.test(
        sub,
      )
    ) {
      c.flag('network', 'high', `installs packages or runs downloaded code (${c.name} ${sub})`);
    } else if (/^(publish|unpublish|deprecate|dist-tag|owner|access|adduser|login|logout|token|team|org|star|hook|npm)$/.test(sub)) {
      c.flag('network', 'high', `changes the package registry (${c.name} ${sub})`);
      if (sub === 'unpublish') c.flag('destructive', 'high', `removes a published package (${c.name} unpublish)`);
      if (sub === 'token' || sub === 'login' || sub === 'adduser') c.flag('secrets', 'high', `handles registry credentials (${c.name} ${sub})`);
    } else if (/^(view|v|info|show|search|s|outdated|ping|whoami)$/.test(sub)) {
      c.flag('network', 'high', `queries the package registry (${c.name} ${sub})`);
    } else if (/^(ls|list|ll|la|why|explain|help|root|bin|prefix|doctor|fund|query|-v|--version|--help)$/.test(sub)) {
      return;
    } else if (sub === 'config' || sub === 'c' || sub === 'get' || sub === 'set') {
      if (/^(set|edit|delete|rm)$/.test(rest[0]?.text ?? sub)) c.flag('writes', 'medium', `changes package manager configuration (${c.name} config)`);
    } else if (sub === 'init') {
      c.flag('writes', 'medium', `creates a package (${c.name} init)`);
      if (rest.some((a) => !a.text.startsWith('-'))) c.flag('network', 'high', `downloads and runs an initializer (${c.name} init)`);
    } else if (runsScriptByDefault || /^(run|run-script|rum|urn|test|tst|t|start|stop|restart|build)$/.test(sub)) {
      const script = /^(run|run-script|rum|urn)$/.test(sub) ? (rest[0]?.text ?? '') : sub;
      c.flag('writes', 'medium', `runs the package script ${script} (${c.name}), which may change files`);
    } else {
      c.flag('writes', 'medium', `runs ${c.name} ${sub}, which may change files`);
    }
    for (const a of rest) if (!/^[/~]|^\.\./.test(a.text)) c.skip(a);
  };
}

const npx: CommandRule = (c) => {
  c.flag('network', 'high', `may download and run a package (${c.name})`);
  for (const a of c.args) if (!/^[/~]|^\.\./.test(a.text)) c.skip(a);
};

/** Generic "subcommand decides" rule for language package tools. */
function packageTool(network: RegExp, read: RegExp, extra?: (c: CommandCheck, sub: string) => void): CommandRule {
  return (c) => {
    const subs = c.args.filter((a) => !a.text.startsWith('-')).map((a) => a.text);
    const sub = subs[0] ?? '';
    const label = `${c.name} ${subs.slice(0, 2).join(' ')}`.trim();
    if (network.test(sub) || network.test(subs.slice(0, 2).join(' '))) c.flag('network', 'high', `downloads packages (${label})`);
    else if (!read.test(sub)) c.flag('writes', 'medium', `runs ${label}, which may change files`);
    extra?.(c, sub);
    for (const a of c.args) if (!/^[/~]|^\.\./.test(a.text)) c.skip(a);
  };
}

const pip = packageTool(/^(install|download|wheel)$/, /^(list|show|freeze|check|help|--version|config|debug|inspect|cache|search|index)$/, (c, sub) => {
  if (sub === 'uninstall') c.flag('writes', 'medium', 'removes Python packages (pip uninstall)');
});

const DATABASE_CLIENTS = ['psql', 'mysql', 'mariadb', 'sqlite3', 'sqlite', 'mongo', 'mongosh', 'redis-cli', 'clickhouse-client', 'cqlsh', 'duckdb', 'sqlcmd'];

const DESTRUCTIVE_SQL =
  /\b(drop\s+(table|database|schema|index|view|user|role|collection|keyspace)\b|truncate\s+(table\s+)?\w|delete\s+from\b|alter\s+table\s+\S+\s+drop\b|flushall\b|flushdb\b|dropdatabase\s*\(|\.drop\s*\(|deletemany\s*\(|\.remove\s*\()/i;

/** Database clients: a generic write finding, destructive when the SQL anywhere in the line is. */
const database: CommandRule = (c) => {
  c.flag('writes', 'medium', `runs database commands (${c.name})`);
  const texts: string[] = [];
  const sources = c.command.pipedInput ? c.line : [c.command];
  for (const cmd of sources) {
    texts.push(...cmd.argv.map((a) => a.text));
    for (const r of cmd.redirects) texts.push(r.body ?? (r.op === '<<<' ? r.target.text : ''));
  }
  const sql = texts.find((t) => DESTRUCTIVE_SQL.test(t));
  if (sql !== undefined) c.flag('destructive', 'high', `runs destructive database statements (${(DESTRUCTIVE_SQL.exec(sql)?.[0] ?? '').toUpperCase()})`);
  for (const a of c.args) if (!/^[/~]|^\.\./.test(a.text) && !/\.(db|sqlite3?|sql)$/.test(a.text)) c.skip(a);
};

/** Rules by program name. */
export const DEV_RULES: Readonly<Record<string, CommandRule>> = {
  ...Object.fromEntries([...CODE_RUNNERS].filter((n) => !SHELL_NAMES.has(n) && n !== 'source' && n !== '.' && n !== 'eval').map((n) => [n, interpreter])),
  ...Object.fromEntries([...SHELL_NAMES].map((n) => [n, shell])),
  ...Object.fromEntries(DATABASE_CLIENTS.map((n) => [n, database])),
  source,
  '.': source,
  npm: jsPackages(false),
  pnpm: jsPackages(true),
  yarn: jsPackages(true),
  bun: (c) => {
    const sub = c.args.find((a) => !a.text.startsWith('-'))?.text ?? '';
    const inline = c.args.some((a) => INLINE_CODE.bun?.test(a.text));
    if (!inline && /^(install|i|add|a|remove|rm|update|x|create|link|pm|publish|upgrade|run|test|build)$/.test(sub)) jsPackages(true)(c);
    else interpreter(c);
  },
  npx,
  pnpx: npx,
  bunx: npx,
  uvx: npx,
  pip,
  pip3: pip,
  pipx: packageTool(/^(install|run|upgrade|inject|reinstall)$/, /^(list|environment|help)$/),
  uv: packageTool(/^(add|sync|lock|run|pip install|tool install|tool run|python install|pip sync|pip compile)$/, /^(tree|version|help|--version|cache|venv)$/),
  poetry: packageTool(/^(add|install|update|lock|publish|self)$/, /^(show|check|version|env|config|about|help|--version)$/),
  gem: packageTool(/^(install|update|push|fetch)$/, /^(list|search|info|query|contents|env|help|--version)$/),
  bundle: packageTool(/^(install|update|add|outdated|lock)$/, /^(list|show|info|check|help|--version)$/),
  cargo: packageTool(
    /^(install|publish|update|fetch|add|search|login|yank|owner)$/,
    /^(--version|version|help|metadata|tree|verify-project|locate-project|pkgid)$/,
  ),
  go: packageTool(/^(get|install|mod download|mod tidy|work sync)$/, /^(version|env|help|list|doc)$/),
  composer: packageTool(/^(install|update|require|create-project|global)$/, /^(show|info|validate|diagnose|help|--version|outdated|licenses)$/),
  conda: packageTool(/^(install|create|update|upgrade)$/, /^(list|info|search|env list|help|--version)$/),
  mamba: packageTool(/^(install|create|update|upgrade)$/, /^(list|info|search|help|--version)$/),
  deno: (c) => {
    const sub = c.args.find((a) => !a.text.startsWith('-'))?.text ?? '';
    if (sub === 'eval') interpreter(c);
    else packageTool(/^(install|add|cache|upgrade|outdated)$/, /^(--version|info|doc|help|lint|fmt|check)$/)(c);
  },
};
