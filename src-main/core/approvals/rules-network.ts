/**
 * Risk rules for programs that use the network: downloads, uploads, remote shells, cloud and
 * container CLIs.
 */
import type { ShellWord } from './shell-parse.ts';
import { hasFlag, parseArgs, subWord } from './shell-words.ts';
import type { CommandCheck, CommandRule } from './rules-types.ts';
import { always } from './rules-types.ts';

const NETWORK = [
  'nc',
  'ncat',
  'netcat',
  'telnet',
  'ftp',
  'tftp',
  'lftp',
  'ping',
  'ping6',
  'dig',
  'nslookup',
  'host',
  'whois',
  'traceroute',
  'tracepath',
  'mtr',
  'http',
  'https',
  'xh',
  'curlie',
  'aria2c',
  'axel',
  'mosh',
  'ssh-keyscan',
  'ssh-copy-id',
  'sshpass',
  'nmap',
  'masscan',
  'ncftp',
  'smbclient',
  'ldapsearch',
  'mail',
  'mailx',
  'sendmail',
  'mutt',
  'sftp',
];

const REMOTE_CLIS = [
  'docker',
  'podman',
  'nerdctl',
  'kubectl',
  'helm',
  'terraform',
  'tofu',
  'pulumi',
  'aws',
  'gcloud',
  'gsutil',
  'az',
  'heroku',
  'fly',
  'flyctl',
  'vercel',
  'netlify',
  'firebase',
  'wrangler',
  'doctl',
  'ansible',
  'ansible-playbook',
  'vagrant',
  'packer',
  'eksctl',
  'oc',
  'minikube',
  'kind',
  'gh',
  'glab',
  'hub',
];

/** `host:path`, `user@host:path`, `rsync://…`: an argument naming another machine. */
function isRemoteSpec(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^([\w.-]+@)?[\w.-]+:(?!\/\/)/.test(text);
}

/** Local path behind a curl-style `@file`, `<file` or `name=@file` data argument. */
function dataFile(word: ShellWord): ShellWord | null {
  const m = /^(?:[^=@<]*=)?[@<](.+)$/.exec(word.text);
  return m !== null && m[1] !== undefined && m[1] !== '-' ? subWord(word, m[1]) : null;
}

function fileUrl(c: CommandCheck, word: ShellWord): void {
  const m = /^file:\/\/(?:localhost)?(\/.*)$/i.exec(word.text);
  if (m !== null && m[1] !== undefined) c.path(subWord(word, decodeURIComponentSafe(m[1])), 'read');
  else c.skip(word);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const curl: CommandRule = (c) => {
  c.flag('network', 'high', 'downloads or uploads data over the network (curl)');
  const p = parseArgs(c.args, {
    short: 'dFToOHuAeEbcDKrmwxXy',
    long: [
      'data',
      'data-binary',
      'data-raw',
      'data-ascii',
      'data-urlencode',
      'form',
      'form-string',
      'upload-file',
      'output',
      'header',
      'user',
      'user-agent',
      'referer',
      'cert',
      'cookie',
      'cookie-jar',
      'dump-header',
      'config',
      'range',
      'max-time',
      'write-out',
      'proxy',
      'request',
      'output-dir',
      'trace',
      'trace-ascii',
      'key',
      'cacert',
      'url',
      'json',
      'netrc-file',
      'stderr',
    ],
  });
  for (const key of ['-d', '--data', '--data-binary', '--data-ascii', '--data-urlencode', '-F', '--form', '--json']) {
    for (const v of p.values.get(key) ?? []) {
      const file = dataFile(v);
      if (file !== null) c.path(file, 'read');
      else c.skip(v);
    }
  }
  for (const key of ['-T', '--upload-file', '-K', '--config', '-E', '--cert', '--key', '--cacert', '--netrc-file']) {
    for (const v of p.values.get(key) ?? []) c.path(v, 'read');
  }
  for (const key of ['-o', '--output', '-D', '--dump-header', '-c', '--cookie-jar', '--trace', '--trace-ascii', '--stderr']) {
    for (const v of p.values.get(key) ?? []) if (v.text !== '-') c.path(v, 'overwrite');
  }
  for (const v of p.values.get('--output-dir') ?? []) c.path(v, 'write');
  if (hasFlag(p, '-O', '--remote-name', '--remote-name-all')) c.flag('writes', 'medium', 'saves downloads to files (curl -O)');
  for (const key of [
    '-H',
    '--header',
    '-u',
    '--user',
    '-A',
    '--user-agent',
    '-e',
    '--referer',
    '-b',
    '--cookie',
    '-X',
    '--request',
    '-w',
    '--write-out',
    '-x',
    '--proxy',
    '-r',
    '--range',
    '-m',
    '--max-time',
    '--data-raw',
    '--form-string',
  ]) {
    for (const v of p.values.get(key) ?? []) c.skip(v);
  }
  for (const url of [...p.operands, ...(p.values.get('--url') ?? [])]) fileUrl(c, url);
};

const wget: CommandRule = (c) => {
  c.flag('network', 'high', 'downloads data over the network (wget)');
  const p = parseArgs(c.args, {
    short: 'OoaPiUeTtwQ',
    long: [
      'output-document',
      'output-file',
      'append-output',
      'directory-prefix',
      'input-file',
      'user-agent',
      'execute',
      'post-data',
      'post-file',
      'body-file',
      'header',
      'timeout',
      'tries',
      'wait',
      'quota',
      'user',
      'password',
      'load-cookies',
      'save-cookies',
    ],
  });
  const outputs = [...(p.values.get('-O') ?? []), ...(p.values.get('--output-document') ?? [])].filter((v) => v.text !== '-');
  for (const v of outputs) c.path(v, 'overwrite');
  for (const key of ['-o', '--output-file', '-a', '--append-output', '-P', '--directory-prefix', '--save-cookies']) {
    for (const v of p.values.get(key) ?? []) c.path(v, 'write');
  }
  for (const key of ['--post-file', '--body-file', '-i', '--input-file', '--load-cookies']) {
    for (const v of p.values.get(key) ?? []) c.path(v, 'read');
  }
  if (outputs.length === 0 && !p.values.has('-O') && !p.values.has('--output-document')) {
    c.flag('writes', 'medium', 'saves downloads to files (wget)');
  }
  for (const url of p.operands) fileUrl(c, url);
};

const ssh: CommandRule = (c) => {
  c.flag('network', 'high', 'connects to another machine (ssh)');
  const p = parseArgs(c.args, { short: 'BbcDEeFIiJLlmOopQRSWw', long: [] });
  for (const v of p.values.get('-i') ?? []) c.path(v, 'read');
  for (const v of p.values.get('-F') ?? []) c.path(v, 'read');
  for (const v of p.values.get('-o') ?? []) {
    c.skip(v);
    if (/^(ProxyCommand|LocalCommand|PermitLocalCommand|KnownHostsCommand|Match)/i.test(v.text)) {
      c.flag(null, 'high', `ssh -o ${v.text.split(/[=\s]/)[0] ?? ''} runs a local command, which cannot be analysed`);
    }
  }
  // Arguments after the host run on the remote machine: not local paths.
  for (const a of p.operands) c.skip(a);
};

/** `scp` / `rsync`: network when an argument names another machine, a local copy otherwise. */
function remoteCopy(short: string, long: readonly string[]): CommandRule {
  return (c) => {
    const p = parseArgs(c.args, { short, long });
    const remote = p.operands.some((a) => isRemoteSpec(a.text));
    if (remote) c.flag('network', 'high', `copies files to or from another machine (${c.name})`);
    else c.flag('writes', 'medium', `copies files (${c.name})`);
    if (c.name === 'rsync' && c.args.some((a) => /^--(delete|remove-source-files)/.test(a.text))) {
      c.flag('destructive', 'high', 'deletes files at the destination or the source (rsync --delete)');
    }
    for (const v of [...(p.values.get('-e') ?? []), ...(p.values.get('--rsh') ?? [])]) {
      c.skip(v);
      c.flag(null, 'high', `${c.name} -e runs a command, which cannot be analysed`);
    }
    for (const v of p.values.get('-i') ?? []) c.path(v, 'read');
    const local = p.operands.filter((a) => !isRemoteSpec(a.text));
    for (const a of p.operands) if (isRemoteSpec(a.text)) c.skip(a);
    const dest = p.operands[p.operands.length - 1];
    for (const a of local) c.path(a, a === dest ? 'write' : 'read');
  };
}

const netcat: CommandRule = (c) => {
  c.flag('network', 'high', `opens network connections (${c.name})`);
  if (c.args.some((a) => /^-[a-zA-Z]*[ec]$|^--(exec|sh-exec|lua-exec)/.test(a.text))) {
    c.flag(null, 'high', `${c.name} runs a program for the other side of the connection`);
  }
};

const socat: CommandRule = (c) => {
  c.flag('network', 'high', 'opens network connections (socat)');
  if (c.args.some((a) => /(^|[,!])(EXEC|SYSTEM):/i.test(a.text))) c.flag(null, 'high', 'socat runs a command, which cannot be analysed');
  for (const a of c.args) c.skip(a);
};

const remoteCli: CommandRule = (c) => {
  const sub = c.args.filter((a) => !a.text.startsWith('-')).map((a) => a.text);
  c.flag('network', 'high', `controls remote services or containers (${c.name}${sub[0] ? ` ${sub[0]}` : ''})`);
  if (sub.some((s) => /^(delete|destroy|rm|rmi|prune|down|uninstall|purge|terminate|remove)$/.test(s))) {
    c.flag('destructive', 'high', `deletes remote resources or containers (${c.name})`);
  }
  if (c.args.some((a) => /^--(privileged|pid=host|net=host|network=host|cap-add)/.test(a.text) || /^\/(:|$)/.test(a.text))) {
    c.flag('privilege', 'critical', `runs a container with access to the host (${c.name})`);
  }
  if ((c.name === 'gh' || c.name === 'glab') && sub[0] === 'auth' && sub[1] === 'token') {
    c.flag('secrets', 'high', `prints an access token (${c.name} auth token)`);
  }
  for (const a of c.args) if (!a.text.startsWith('/') && !a.text.startsWith('~') && !a.text.startsWith('..')) c.skip(a);
};

/** Rules by program name. */
export const NETWORK_RULES: Readonly<Record<string, CommandRule>> = {
  ...Object.fromEntries(NETWORK.map((name) => [name, always('network', 'high', 'uses the network ($0)')])),
  ...Object.fromEntries(REMOTE_CLIS.map((name) => [name, remoteCli])),
  curl,
  wget,
  ssh,
  scp: remoteCopy('cFiJlOoPS', []),
  rsync: remoteCopy('efBT', [
    'rsh',
    'exclude',
    'include',
    'filter',
    'files-from',
    'exclude-from',
    'include-from',
    'rsync-path',
    'partial-dir',
    'backup-dir',
    'temp-dir',
    'chmod',
    'chown',
    'log-file',
    'password-file',
    'port',
  ]),
  nc: netcat,
  ncat: netcat,
  netcat,
  socat,
  openssl: (c) => {
    const sub = c.args[0]?.text ?? '';
    if (/^s_(client|server|time)$/.test(sub)) c.flag('network', 'high', `opens a TLS connection (openssl ${sub})`);
    else c.flag('writes', 'medium', `runs openssl ${sub}`.trim());
  },
};
