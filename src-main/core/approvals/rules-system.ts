/**
 * Risk rules for programs that act on the system rather than on files: privilege, services,
 * processes, scheduling, keyrings, environment dumps and system package managers.
 */
import type { RiskLevel, RiskTag } from '../../contract/domain.ts';
import { parseArgs } from './shell-words.ts';
import type { CommandRule } from './rules-types.ts';
import { always } from './rules-types.ts';

/** Wrappers that run the wrapped command as another (usually more powerful) user. */
export const PRIVILEGE_WRAPPERS = new Set(['sudo', 'doas', 'pkexec', 'chroot', 'su', 'runuser']);

const PRIVILEGED = [
  'sudo',
  'su',
  'doas',
  'pkexec',
  'runuser',
  'chroot',
  'nsenter',
  'unshare',
  'setpriv',
  'capsh',
  'sg',
  'newgrp',
  'mount',
  'umount',
  'losetup',
  'swapon',
  'swapoff',
  'modprobe',
  'insmod',
  'rmmod',
  'iptables',
  'ip6tables',
  'nft',
  'ufw',
  'firewall-cmd',
  'pfctl',
  'useradd',
  'userdel',
  'usermod',
  'groupadd',
  'groupdel',
  'groupmod',
  'passwd',
  'chpasswd',
  'visudo',
  'sudoedit',
  'adduser',
  'deluser',
  'addgroup',
  'hostnamectl',
  'timedatectl',
  'update-alternatives',
  'ldconfig',
  'setenforce',
  'csrutil',
  'spctl',
  'nvram',
  'dscl',
  'service',
  'initctl',
  'rc-service',
  'rc-update',
  'chkconfig',
  'update-rc.d',
  'kextload',
  'tccutil',
  'pmset',
  'networksetup',
  'sysadminctl',
];

const SHUTDOWN = ['shutdown', 'reboot', 'halt', 'poweroff', 'init', 'telinit'];

/** Environment variables that make other programs load or run code, or resolve commands elsewhere. */
const CODE_LOADING_VARS =
  /^(LD_PRELOAD|LD_LIBRARY_PATH|LD_AUDIT|DYLD_[A-Z_]+|BASH_ENV|ENV|PROMPT_COMMAND|NODE_OPTIONS|PYTHONSTARTUP|PYTHONPATH|PERL5OPT|PERL5LIB|RUBYOPT|GIT_SSH|GIT_SSH_COMMAND|GIT_EXEC_PATH|GIT_CONFIG[A-Z_]*|GIT_ASKPASS|SSH_ASKPASS|SUDO_ASKPASS|EDITOR|VISUAL|PAGER|GIT_PAGER|GIT_EDITOR|IFS|SHELLOPTS|BASHOPTS|HOME)$/;

/** A finding for one `NAME=value` assignment, or null when it is harmless. */
export function assignmentFinding(assignment: string): { tag: RiskTag | null; level: RiskLevel; reason: string } | null {
  const name = assignment.slice(0, assignment.indexOf('=')).replace(/\[.*$/, '').replace(/\+$/, '');
  if (name === 'PATH') return { tag: null, level: 'medium', reason: 'changes PATH, so commands may resolve to other programs' };
  if (CODE_LOADING_VARS.test(name)) {
    return { tag: null, level: 'high', reason: `sets ${name}, which can make programs load or run other code` };
  }
  return null;
}

const dumpsEnvironment = 'prints environment variables, which may hold secrets';

/** `export`, `declare`, … : assignments in their arguments, or a dump of all variables. */
const declaration: CommandRule = (c) => {
  const printsAll = c.args.length === 0 || c.args.every((a) => /^-[a-zA-Z]*[px]/.test(a.text));
  if (printsAll && c.name !== 'local') c.flag('secrets', 'high', `${dumpsEnvironment} (${c.name})`);
  for (const a of c.args) {
    c.skip(a);
    if (!a.text.includes('=')) continue;
    const f = assignmentFinding(a.text);
    if (f !== null) c.flag(f.tag, f.level, f.reason);
  }
};

const systemctl: CommandRule = (c) => {
  const sub =
    parseArgs(c.args, { short: 'tpHMsn', long: ['type', 'property', 'host', 'machine', 'signal', 'lines', 'output', 'state'] }).operands[0]?.text ?? '';
  if (/^(status|show|cat|help|is-active|is-enabled|is-failed|is-system-running|list-[a-z-]+|get-default)$/.test(sub) || sub === '') return;
  c.flag('privilege', 'critical', `changes system services (systemctl ${sub})`);
};

const launchctl: CommandRule = (c) => {
  const sub = c.args[0]?.text ?? '';
  if (/^(list|print|print-disabled|help|version|blame)$/.test(sub) || sub === '') return;
  c.flag('privilege', 'critical', `changes system services (launchctl ${sub})`);
};

const kill: CommandRule = (c) => {
  if (c.name === 'kill' && c.args.some((a) => /^-(0|l|L|-list|-table)$/.test(a.text))) return;
  c.flag('destructive', 'high', `stops processes (${c.name})`);
  for (const a of c.args) c.skip(a);
};

const crontab: CommandRule = (c) => {
  const p = parseArgs(c.args, { short: 'u' });
  if (p.flags.has('-l')) return;
  if (p.flags.has('-r')) c.flag('destructive', 'high', 'deletes all scheduled jobs (crontab -r)');
  else c.flag('privilege', 'high', 'installs scheduled jobs that run later without asking (crontab)');
};

const sysctl: CommandRule = (c) => {
  if (c.args.some((a) => a.text === '-w' || a.text.includes('=') || a.text === '-p' || a.text === '--system')) {
    c.flag('privilege', 'critical', 'changes kernel settings (sysctl)');
  }
};

const ip: CommandRule = (c) => {
  if (c.args.some((a) => /^(add|del|delete|set|flush|change|replace|append)$/.test(a.text))) {
    c.flag('privilege', 'critical', 'changes network configuration (ip)');
  }
};

const gpg: CommandRule = (c) => {
  if (c.args.some((a) => /^(-d|--decrypt|--export-secret-keys|--export-secret-subkeys|--export-ssh-key)$/.test(a.text))) {
    c.flag('secrets', 'high', 'decrypts data or exports secret keys (gpg)');
  } else c.flag('secrets', 'medium', 'uses the GPG keyring (gpg)');
};

/** System package managers: querying is harmless, changing packages needs root and the network. */
function systemPackages(readSubcommands: RegExp): CommandRule {
  return (c) => {
    const first = c.args.find((a) => !a.text.startsWith('-'))?.text ?? '';
    const queryFlag = c.args.some((a) => /^-(Q\w*|q\w*|l|s|Ss|Si|-query|-list|-search)$/.test(a.text));
    if (readSubcommands.test(first) || queryFlag || c.args.length === 0) return;
    c.flag('privilege', 'critical', `changes system packages (${c.name} ${first})`.replace(' )', ')'));
    c.flag('network', 'high', `downloads packages (${c.name})`);
    if (/^(remove|purge|autoremove|erase|uninstall|-R\w*|-e|-r|-P)$/.test(first)) {
      c.flag('destructive', 'high', `removes system packages (${c.name} ${first})`);
    }
  };
}

const APT_READ = /^(list|search|show|showpkg|policy|depends|rdepends|madison|changelog|download|source|help|--version|-v)$/;

const brew: CommandRule = (c) => {
  const sub = c.args.find((a) => !a.text.startsWith('-'))?.text ?? '';
  if (/^(list|ls|info|search|config|doctor|--prefix|--version|home|deps|uses|leaves|outdated|desc|cat|log)$/.test(sub) || sub === '') return;
  c.flag('network', 'high', `installs or changes packages (brew ${sub})`);
  if (/^(uninstall|remove|rm|cleanup|untap|autoremove)$/.test(sub)) c.flag('destructive', 'high', `removes packages (brew ${sub})`);
};

/** Keychain and password-manager tools; naming Reins' own keychain service reaches Reins itself. */
const secretsTool =
  (what: string): CommandRule =>
  (c) => {
    c.flag('secrets', 'high', `${what} (${c.name})`);
    if (c.args.some((a) => /^(reins|reins[.:-].*)$/i.test(a.text)))
      c.flag('reins', 'critical', `reads Reins' own keychain entries (${c.name}); agents may not reach them`);
    for (const a of c.args) c.skip(a);
  };

/** Rules by program name. */
export const SYSTEM_RULES: Readonly<Record<string, CommandRule>> = {
  ...Object.fromEntries(PRIVILEGED.map((name) => [name, always('privilege', 'critical', 'runs with elevated privileges or changes the system ($0)')])),
  ...Object.fromEntries(SHUTDOWN.map((name) => [name, always('privilege', 'critical', 'shuts down or restarts the machine ($0)')])),
  systemctl,
  launchctl,
  sysctl,
  ip,
  kill,
  pkill: kill,
  killall: kill,
  xkill: kill,
  skill: kill,
  crontab,
  at: always('privilege', 'high', 'schedules a command to run later without asking ($0)'),
  batch: always('privilege', 'high', 'schedules a command to run later without asking ($0)'),
  security: secretsTool('reads or changes the keychain'),
  'secret-tool': secretsTool('reads secrets from the keyring'),
  keyctl: secretsTool('reads secrets from the kernel keyring'),
  pass: secretsTool('reads secrets from a password manager'),
  gopass: secretsTool('reads secrets from a password manager'),
  op: secretsTool('reads secrets from a password manager'),
  bw: secretsTool('reads secrets from a password manager'),
  lpass: secretsTool('reads secrets from a password manager'),
  vault: secretsTool('reads secrets from a secrets store'),
  'aws-vault': secretsTool('reads cloud credentials'),
  'ssh-add': secretsTool('loads or lists SSH keys'),
  'ssh-keygen': secretsTool('creates or changes SSH keys'),
  gpg,
  gpg2: gpg,
  printenv: always('secrets', 'high', `${dumpsEnvironment} ($0)`),
  env: always('secrets', 'high', `${dumpsEnvironment} ($0)`),
  set: (c) => {
    if (c.args.length === 0) c.flag('secrets', 'high', `${dumpsEnvironment} (set)`);
    for (const a of c.args) c.skip(a);
  },
  compgen: (c) => {
    if (c.args.some((a) => /^-[a-zA-Z]*[ev]/.test(a.text))) c.flag('secrets', 'high', `${dumpsEnvironment} (compgen)`);
  },
  export: declaration,
  declare: declaration,
  typeset: declaration,
  local: declaration,
  readonly: declaration,
  apt: systemPackages(APT_READ),
  'apt-get': systemPackages(APT_READ),
  aptitude: systemPackages(APT_READ),
  yum: systemPackages(/^(list|search|info|provides|repolist|check-update|history|help)$/),
  dnf: systemPackages(/^(list|search|info|provides|repolist|check-update|history|help|repoquery)$/),
  zypper: systemPackages(/^(search|se|info|if|list-updates|lu|repos|lr|help)$/),
  pacman: systemPackages(/^$/),
  apk: systemPackages(/^(search|info|list|policy|version|stats)$/),
  snap: systemPackages(/^(list|find|info|version|help|services)$/),
  flatpak: systemPackages(/^(list|search|info|remotes|history|help)$/),
  port: systemPackages(/^(list|search|info|installed|outdated|deps|help)$/),
  dpkg: systemPackages(/^(-l|-L|-s|-S|--list|--listfiles|--status|--search|--get-selections|--print-architecture)$/),
  rpm: systemPackages(/^$/),
  brew,
};
