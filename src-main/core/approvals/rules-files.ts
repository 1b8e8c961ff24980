/**
 * Risk rules for programs that read, write, move and delete files.
 */
import type { ShellWord } from './shell-parse.ts';
import { hasFlag, parseArgs } from './shell-words.ts';
import type { CommandCheck, CommandRule, PathAccess } from './rules-types.ts';
import { always } from './rules-types.ts';

/** Programs that only read (their path arguments still go through the generic read checks). */
const READ_ONLY = [
  'ls',
  'dir',
  'cat',
  'bat',
  'head',
  'tail',
  'less',
  'more',
  'wc',
  'pwd',
  'which',
  'whereis',
  'type',
  'file',
  'stat',
  'du',
  'df',
  'tree',
  'cut',
  'tr',
  'diff',
  'cmp',
  'comm',
  'md5sum',
  'sha1sum',
  'sha256sum',
  'sha512sum',
  'shasum',
  'cksum',
  'b2sum',
  'basename',
  'dirname',
  'realpath',
  'readlink',
  'test',
  '[',
  '[[',
  '((',
  'true',
  'false',
  ':',
  'date',
  'cal',
  'uname',
  'whoami',
  'id',
  'groups',
  'column',
  'nl',
  'od',
  'hexdump',
  'strings',
  'rev',
  'tac',
  'fold',
  'fmt',
  'paste',
  'join',
  'expand',
  'unexpand',
  'seq',
  'sleep',
  'ps',
  'pgrep',
  'free',
  'uptime',
  'nproc',
  'locale',
  'arch',
  'tty',
  'getconf',
  'man',
  'info',
  'whatis',
  'apropos',
  'jq',
  'exit',
  'return',
  'shift',
  'break',
  'continue',
  'wait',
  'jobs',
  'unset',
  'shopt',
  'let',
  'read',
  'getopts',
  'hash',
  'umask',
  'for',
  'cd',
  'pushd',
  'popd',
  'dirs',
  'command',
  'time',
  'timeout',
  'nice',
  'nohup',
  'xargs',
  'exec',
  'builtin',
  'eval',
  'trap',
  'watch',
];

function operands(c: CommandCheck, short = '', long: readonly string[] = []): ShellWord[] {
  return parseArgs(c.args, { short, long }).operands;
}

function each(words: readonly ShellWord[], c: CommandCheck, access: PathAccess): void {
  for (const w of words) c.path(w, access);
}

/** `cp`/`mv`/`install`-style: sources then a destination (or `-t dir`). A recursive copy reads whole trees. */
function copyLike(verb: string, plainSourceAccess: PathAccess): CommandRule {
  return (c) => {
    c.flag('writes', 'medium', `${verb} files (${c.name})`);
    const p = parseArgs(c.args, { short: 'tSgmo', long: ['target-directory', 'suffix', 'group', 'mode', 'owner'] });
    const recursive = plainSourceAccess === 'read' && c.args.some((a) => /^(-[a-zA-Z]*[rRa][a-zA-Z]*|--recursive|--archive)$/.test(a.text));
    const sourceAccess: PathAccess = recursive ? 'read-tree' : plainSourceAccess;
    const target = p.values.get('-t') ?? p.values.get('--target-directory');
    if (target !== undefined) {
      each(target, c, 'write');
      each(p.operands, c, sourceAccess);
      return;
    }
    const dest = p.operands[p.operands.length - 1];
    each(p.operands.slice(0, -1), c, sourceAccess);
    if (dest !== undefined) c.path(dest, 'write');
  };
}

const rm: CommandRule = (c) => {
  const p = parseArgs(c.args);
  const recursive = hasFlag(p, '-r', '-R', '--recursive');
  const force = hasFlag(p, '-f', '--force');
  const label = `rm${recursive || force ? ` -${recursive ? 'r' : ''}${force ? 'f' : ''}` : ''}`;
  c.flag('destructive', 'high', recursive ? `deletes files recursively (${label})` : `deletes files (${label})`);
  if (hasFlag(p, '--no-preserve-root')) {
    c.flag('destructive', 'critical', 'turns off the protection against deleting / (--no-preserve-root)');
  }
  each(p.operands, c, 'delete');
};

const find: CommandRule = (c) => {
  const starts = c.args.findIndex((a) => /^[-(!)]/.test(a.text));
  const roots = starts === -1 ? c.args : c.args.slice(0, starts);
  const expression = starts === -1 ? [] : c.args.slice(starts);
  const deletes = expression.some((a) => a.text === '-delete');
  if (deletes) c.flag('destructive', 'high', 'deletes the files it finds (find -delete)');
  // Names alone are not secret, but `-exec cat {} +` or `| xargs cat` reads every file found.
  const readsFound = expression.some((a) => /^-(exec|execdir|ok|okdir)$/.test(a.text)) || c.line.some((cmd) => cmd.argsFromInput);
  const searched = roots.length > 0 ? roots : [c.currentDirectory()];
  each(searched, c, deletes ? 'delete' : readsFound ? 'read-tree' : 'read');
  expression.forEach((a, i) => {
    if (/^-(fprint|fprint0|fprintf|fls)$/.test(a.text)) {
      const file = expression[i + 1];
      c.flag('writes', 'medium', `writes a file (find ${a.text})`);
      if (file !== undefined) c.path(file, 'write');
    }
  });
};

const dd: CommandRule = (c) => {
  c.flag('destructive', 'high', 'copies raw data and can overwrite files or disks (dd)');
  for (const a of c.args) {
    const m = /^(if|of)=(.*)$/.exec(a.text);
    if (m === null) continue;
    c.path({ ...a, text: m[2] ?? '', tilde: (m[2] ?? '').startsWith('~') }, m[1] === 'of' ? 'overwrite' : 'read');
  }
};

const chmod: CommandRule = (c) => {
  const known = /^(-[Rvcf]+|--(recursive|verbose|changes|silent|quiet|preserve-root|no-preserve-root|reference=.*))$/;
  const rest = c.args.filter((a) => !known.test(a.text));
  const hasReference = c.args.some((a) => a.text.startsWith('--reference='));
  const mode = hasReference ? undefined : rest[0];
  const files = hasReference ? rest : rest.slice(1);
  if (mode !== undefined) c.skip(mode);
  const recursive = c.args.some((a) => /^(-[vcf]*R[Rvcf]*|--recursive)$/.test(a.text));
  if (mode !== undefined && (/^[0-7]*[4267][0-7]{3}$/.test(mode.text) || /[+=][rwxXt]*s/.test(mode.text))) {
    c.flag('privilege', 'critical', `sets the setuid/setgid bit (chmod ${mode.text})`);
  }
  if (recursive) c.flag('destructive', 'high', 'changes permissions recursively (chmod -R)');
  else c.flag('writes', 'medium', 'changes file permissions (chmod)');
  each(files, c, recursive ? 'delete' : 'write');
};

const ownership: CommandRule = (c) => {
  c.flag('privilege', 'critical', `changes file ownership (${c.name})`);
  const ops = operands(c);
  const owner = ops[0];
  if (owner !== undefined) c.skip(owner);
  each(ops.slice(1), c, 'write');
};

const ln: CommandRule = (c) => {
  c.flag('writes', 'medium', 'creates links (ln)');
  const p = parseArgs(c.args, { short: 'St', long: ['suffix', 'target-directory'] });
  const dir = p.values.get('-t') ?? p.values.get('--target-directory');
  const targets = dir !== undefined ? p.operands : p.operands.slice(0, Math.max(1, p.operands.length - 1));
  each(targets, c, 'link');
  if (dir !== undefined) each(dir, c, 'write');
  else if (p.operands.length > 1) c.path(p.operands[p.operands.length - 1] as ShellWord, 'write');
};

const tee: CommandRule = (c) => {
  c.flag('writes', 'medium', 'writes files (tee)');
  const p = parseArgs(c.args);
  each(p.operands, c, hasFlag(p, '-a', '--append') ? 'write' : 'overwrite');
};

/** grep's ways of saying "recurse into directories". */
const GREP_RECURSIVE = /^(-[a-zA-Z]*[rR][a-zA-Z]*|--recursive|--dereference-recursive|--directories=recurse|-drecurse)$/;

/**
 * Commands whose first operand is a pattern, not a file (unless given with -e / -f). Recursive ones
 * (`grep -r`, and `rg`/`ag`/`ack` always) read every file below their paths, the current directory
 * when none is given.
 */
function searchTool(short: string, long: readonly string[], recursiveByDefault = false): CommandRule {
  return (c) => {
    const p = parseArgs(c.args, { short, long });
    const recursive = recursiveByDefault || c.args.some((a) => GREP_RECURSIVE.test(a.text)) || (p.values.get('-d') ?? []).some((v) => v.text === 'recurse');
    const explicit = p.values.has('-e') || p.values.has('--regexp') || p.values.has('-f') || p.values.has('--file');
    for (const v of [...(p.values.get('-e') ?? []), ...(p.values.get('--regexp') ?? [])]) c.skip(v);
    for (const v of [...(p.values.get('-f') ?? []), ...(p.values.get('--file') ?? [])]) c.path(v, 'read');
    for (const key of ['-g', '--glob', '--include', '--exclude', '--exclude-dir', '-t', '--type', '-T', '--type-not']) {
      for (const v of p.values.get(key) ?? []) c.skip(v);
    }
    const pattern = explicit ? undefined : p.operands[0];
    if (pattern !== undefined) c.skip(pattern);
    const files = explicit ? p.operands : p.operands.slice(1);
    const listsOnly = c.args.some((a) => a.text === '--files' || a.text === '--type-list');
    if (recursive && !listsOnly) {
      each(files.length > 0 ? files : [c.currentDirectory()], c, 'read-tree');
    } else each(files, c, 'read');
  };
}

const GREP_SHORT = 'efmABCdD';
const GREP_LONG = [
  'regexp',
  'file',
  'max-count',
  'after-context',
  'before-context',
  'context',
  'include',
  'exclude',
  'exclude-dir',
  'label',
  'devices',
  'directories',
  'binary-files',
  'color',
  'colour',
];
const RG_SHORT = 'efgmABCtTMjErt';
const RG_LONG = [
  'regexp',
  'file',
  'glob',
  'iglob',
  'max-count',
  'after-context',
  'before-context',
  'context',
  'type',
  'type-not',
  'max-columns',
  'threads',
  'encoding',
  'replace',
  'pre',
  'pre-glob',
  'sort',
  'sortr',
  'max-depth',
  'max-filesize',
  'type-add',
  'color',
  'colors',
  'ignore-file',
  'path-separator',
];

function sedScriptRuns(script: string): boolean {
  // `s/a/b/e` runs the pattern space as a command and `s/a/b/w file` writes a file.
  if (/s(.)(?:(?!\1)[^\\]|\\.)*\1(?:(?!\1)[^\\]|\\.)*\1[gpiImM0-9]*[ewW]/.test(script)) return true;
  return script.split(/[;\n{}]/).some((part) => /^\s*(?:\d+|\$|\/[^/]*\/)?(?:\s*,\s*(?:\d+|\$|\/[^/]*\/))?\s*!?\s*[ewWr](\s|$)/.test(part));
}

const sed: CommandRule = (c) => {
  const p = parseArgs(c.args, { short: 'efl', long: ['expression', 'file', 'line-length'] });
  const inPlace = hasFlag(p, '-i', '--in-place');
  const scripts = [...(p.values.get('-e') ?? []), ...(p.values.get('--expression') ?? [])];
  const scriptFiles = [...(p.values.get('-f') ?? []), ...(p.values.get('--file') ?? [])];
  let files = p.operands;
  if (scripts.length === 0 && scriptFiles.length === 0 && p.operands[0] !== undefined) {
    scripts.push(p.operands[0]);
    files = p.operands.slice(1);
  }
  for (const s of scripts) c.skip(s);
  each(scriptFiles, c, 'read');
  if (scripts.some((s) => s.dynamic || sedScriptRuns(s.text))) {
    c.flag(null, 'high', 'the sed script can run commands or write files, which cannot be analysed');
  }
  if (inPlace) c.flag('writes', 'medium', 'edits files in place (sed -i)');
  each(files, c, inPlace ? 'write' : 'read');
};

const awk: CommandRule = (c) => {
  const p = parseArgs(c.args, { short: 'fvFi', long: ['file', 'assign', 'field-separator', 'include'] });
  const programFiles = [...(p.values.get('-f') ?? []), ...(p.values.get('--file') ?? [])];
  each(programFiles, c, 'read');
  for (const v of [...(p.values.get('-v') ?? []), ...(p.values.get('-F') ?? [])]) c.skip(v);
  let files = p.operands;
  if (programFiles.length === 0 && p.operands[0] !== undefined) {
    const program = p.operands[0];
    c.skip(program);
    files = p.operands.slice(1);
    if (program.dynamic || /system\s*\(|\|\s*["a-zA-Z_]|["a-zA-Z_)]\s*\||\|&|>\s*["a-zA-Z_]|>>|getline\s*</.test(program.text)) {
      c.flag(null, 'high', 'the awk program can run commands or write files, which cannot be analysed');
    }
  }
  if ((p.values.get('-i') ?? []).some((v) => v.text === 'inplace')) {
    c.flag('writes', 'medium', 'edits files in place (awk -i inplace)');
    each(files, c, 'write');
  } else each(files, c, 'read');
};

const tar: CommandRule = (c) => {
  const first = c.args[0];
  const oldStyle = first !== undefined && !first.text.startsWith('-') ? first.text : '';
  const p = parseArgs(oldStyle ? c.args.slice(1) : c.args, {
    short: 'fCbHKLgNTVXIF',
    long: [
      'file',
      'directory',
      'exclude',
      'transform',
      'files-from',
      'owner',
      'group',
      'mode',
      'use-compress-program',
      'to-command',
      'checkpoint-action',
      'info-script',
      'new-volume-script',
    ],
  });
  const has = (letter: string, long: string): boolean => oldStyle.includes(letter) || hasFlag(p, `-${letter}`, `--${long}`);
  const extract = has('x', 'extract') || hasFlag(p, '--get');
  const create = has('c', 'create') || has('r', 'append') || has('u', 'update');
  const archives = p.values.get('-f') ?? p.values.get('--file') ?? [];
  const oldFile = oldStyle.includes('f') ? p.operands[0] : undefined;
  const allArchives = oldFile !== undefined ? [...archives, oldFile] : archives;
  const members = oldFile !== undefined ? p.operands.slice(1) : p.operands;
  const runner = ['--to-command', '--use-compress-program', '-I', '--info-script', '--new-volume-script', '-F'].find((k) => p.values.has(k));
  const checkpointExec = (p.values.get('--checkpoint-action') ?? []).find((v) => /^(exec|ttyout|wait)?=?exec=/.test(v.text) || v.text.startsWith('exec='));
  if (runner !== undefined || checkpointExec !== undefined) {
    c.flag(null, 'high', `tar runs another program (${runner ?? `--checkpoint-action=${checkpointExec?.text ?? ''}`}), which cannot be analysed`);
  }
  for (const key of ['--to-command', '--use-compress-program', '-I', '--info-script', '--new-volume-script', '-F', '--checkpoint-action', '--transform'])
    for (const v of p.values.get(key) ?? []) c.skip(v);
  if (extract) {
    c.flag('writes', 'medium', 'extracts an archive, which can write wherever it says (tar -x)');
    each(allArchives, c, 'read');
    each(p.values.get('-C') ?? p.values.get('--directory') ?? [], c, 'write');
  } else if (create) {
    c.flag('writes', 'medium', 'creates an archive (tar -c)');
    each(allArchives, c, 'overwrite');
    each(members, c, 'read-tree');
  } else each([...allArchives, ...members], c, 'read');
};

const sort: CommandRule = (c) => {
  const p = parseArgs(c.args, { short: 'otkST', long: ['output', 'field-separator', 'key', 'buffer-size', 'temporary-directory'] });
  const out = [...(p.values.get('-o') ?? []), ...(p.values.get('--output') ?? [])];
  if (out.length > 0) c.flag('writes', 'medium', 'writes its output to a file (sort -o)');
  each(out, c, 'overwrite');
  for (const key of ['-t', '-k', '--field-separator', '--key']) for (const v of p.values.get(key) ?? []) c.skip(v);
  each(p.operands, c, 'read');
};

const uniq: CommandRule = (c) => {
  const ops = operands(c, 'fsw', ['skip-fields', 'skip-chars', 'check-chars']);
  if (ops[0] !== undefined) c.path(ops[0], 'read');
  if (ops[1] !== undefined) {
    c.flag('writes', 'medium', 'writes its output to a file (uniq)');
    c.path(ops[1], 'overwrite');
  }
};

const writer =
  (verb: string, access: PathAccess, short = '', long: readonly string[] = []): CommandRule =>
  (c) => {
    c.flag('writes', 'medium', `${verb} (${c.name})`);
    each(operands(c, short, long), c, access);
  };

const destroyer =
  (verb: string, short = '', long: readonly string[] = []): CommandRule =>
  (c) => {
    c.flag('destructive', 'high', `${verb} (${c.name})`);
    each(operands(c, short, long), c, 'delete');
  };

const printer: CommandRule = (c) => {
  for (const a of c.args) c.skip(a);
};

/** Rules by program name. */
export const FILE_RULES: Readonly<Record<string, CommandRule>> = {
  ...Object.fromEntries(READ_ONLY.map((name) => [name, (): void => undefined])),
  echo: printer,
  printf: printer,
  rm,
  unlink: destroyer('deletes a file'),
  shred: destroyer('overwrites file contents so they cannot be recovered', 'ns', ['iterations', 'size', 'random-source']),
  wipe: destroyer('overwrites file contents so they cannot be recovered'),
  srm: destroyer('overwrites file contents so they cannot be recovered'),
  truncate: (c) => {
    c.flag('destructive', 'high', 'cuts files to a size, destroying their contents (truncate)');
    each(operands(c, 'sr', ['size', 'reference']), c, 'overwrite');
  },
  rmdir: writer('removes empty directories', 'write'),
  dd,
  mkfs: always('destructive', 'critical', 'formats a disk ($0)'),
  mke2fs: always('destructive', 'critical', 'formats a disk ($0)'),
  mkswap: always('destructive', 'critical', 'formats a disk ($0)'),
  wipefs: always('destructive', 'critical', 'erases disk signatures ($0)'),
  fdisk: always('destructive', 'critical', 'repartitions disks ($0)'),
  sfdisk: always('destructive', 'critical', 'repartitions disks ($0)'),
  gdisk: always('destructive', 'critical', 'repartitions disks ($0)'),
  parted: always('destructive', 'critical', 'repartitions disks ($0)'),
  diskutil: always('destructive', 'critical', 'manages disks ($0)'),
  cp: copyLike('copies', 'read'),
  install: copyLike('installs', 'read'),
  mv: copyLike('moves', 'write'),
  ln,
  touch: writer('creates or touches files', 'write', 'dtr', ['date', 'reference']),
  mkdir: writer('creates directories', 'write', 'm', ['mode']),
  mktemp: writer('creates a temporary file', 'write', 'pt', ['tmpdir', 'suffix']),
  tee,
  chmod,
  chown: ownership,
  chgrp: ownership,
  chattr: always('privilege', 'critical', 'changes file attributes ($0)'),
  setfacl: always('privilege', 'critical', 'changes file access lists ($0)'),
  setcap: always('privilege', 'critical', 'grants capabilities to a program ($0)'),
  find,
  grep: searchTool(GREP_SHORT, GREP_LONG),
  egrep: searchTool(GREP_SHORT, GREP_LONG),
  fgrep: searchTool(GREP_SHORT, GREP_LONG),
  zgrep: searchTool(GREP_SHORT, GREP_LONG),
  rg: searchTool(RG_SHORT, RG_LONG, true),
  ag: searchTool('ABCGgm', ['after', 'before', 'context', 'file-search-regex', 'ignore', 'max-count'], true),
  ack: searchTool('ABCm', ['after-context', 'before-context', 'context', 'type', 'max-count'], true),
  sed,
  awk,
  gawk: awk,
  mawk: awk,
  nawk: awk,
  tar,
  unzip: (c) => {
    c.flag('writes', 'medium', 'extracts an archive (unzip)');
    const p = parseArgs(c.args, { short: 'dxP' });
    each(p.values.get('-d') ?? [], c, 'write');
    each(p.operands, c, 'read');
  },
  gzip: writer('compresses or decompresses files in place', 'write', 'S', ['suffix']),
  gunzip: writer('compresses or decompresses files in place', 'write', 'S', ['suffix']),
  bzip2: writer('compresses or decompresses files in place', 'write'),
  xz: writer('compresses or decompresses files in place', 'write'),
  zstd: writer('compresses or decompresses files in place', 'write', 'o'),
  '7z': writer('creates or extracts an archive', 'write'),
  patch: writer('patches files', 'write', 'ipdoBrDFYz', ['input', 'strip', 'directory', 'output']),
  split: writer('splits files', 'write', 'abCdlnt', ['suffix-length', 'bytes', 'line-bytes', 'lines', 'number']),
  csplit: writer('splits files', 'write', 'bfn', ['suffix-format', 'prefix', 'digits']),
  sort,
  uniq,
  xxd: (c) => {
    const ops = operands(c, 'cglos', ['cols', 'groupsize', 'len', 'seek']);
    if (ops[0] !== undefined) c.path(ops[0], 'read');
    if (ops[1] !== undefined) {
      c.flag('writes', 'medium', 'writes its output to a file (xxd)');
      c.path(ops[1], 'overwrite');
    }
  },
};
