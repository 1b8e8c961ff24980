import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { daemonServiceSpec, desktopServiceSpec, launchdPlist, serviceNames, systemdUnit, taskXml } from '../../../src-main/service/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

// The definitions Reins writes for each OS, checked by the tools and schemas of those formats: systemd's
// own verifier, Apple's plist DTD and the Task Scheduler schema (xmllint). Paths carry the characters
// each format treats specially, so a quoting mistake changes a path and fails.

const fixtures = resolve(import.meta.dirname, '..', '..', 'fixtures', 'service');
const dir = tempDir('reins-service-files-');
afterAll(dir.remove);

/** A real executable at a path with a space, `%` and `$` (systemd starts no program whose path has quotes or backslashes). */
const odd = join(dir.path, 'Reins 100% $HOME');
mkdirSync(odd);
const node = join(odd, 'node');
copyFileSync('/bin/true', node);
chmodSync(node, 0o755);
/** A data directory with a quote, a backslash, `%` and `$` too: it travels as an argument. */
const home = join(odd, 'data "x" \\y');
mkdirSync(home);
const spec = daemonServiceSpec({ home, node, launcher: join(odd, 'bin', 'reins.js'), path: '/usr/local/bin:/usr/bin:/bin' });

function xmllint(args: string[], input?: Buffer) {
  const r = spawnSync('xmllint', ['--noout', '--nonet', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, XML_CATALOG_FILES: join(fixtures, 'catalog.xml') },
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('systemd user unit', () => {
  function verify(text: string, name = 'reins.service') {
    const file = join(dir.path, name);
    writeFileSync(file, text);
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', file], { encoding: 'utf8' });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  }

  it('passes systemd-analyze verify, its odd program path intact, with the restart settings', () => {
    const unit = systemdUnit(spec, { systemdVersion: 252 });
    const r = verify(unit);
    // verify resolves ExecStart's program: a mangled path would be "not executable".
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
    expect(unit).toContain('Restart=on-failure');
    expect(unit).toContain('RestartSec=10');
    expect(unit).toContain('StartLimitBurst=10');
    expect(unit).toContain('WantedBy=default.target');
    expect(unit).not.toContain('RestartSteps');
  });

  it('a wrongly escaped path is caught by the same check (the check can fail)', () => {
    const escaped = node.replaceAll('%', '%%');
    const unit = systemdUnit(spec, { systemdVersion: 252 }).replace(`"${escaped}"`, escaped);
    expect(unit).toContain(`ExecStart=${escaped} `);
    expect(verify(unit).code).not.toBe(0);
  });

  it('backs off with growing delays where systemd knows RestartSteps (254+)', () => {
    const unit = systemdUnit(spec, { systemdVersion: 256 });
    expect(unit).toMatch(/RestartSteps=\d+\nRestartMaxDelaySec=300/);
  });

  it('the desktop app starts hidden with the graphical session', () => {
    const exe = join(odd, 'node');
    const unit = systemdUnit(desktopServiceSpec({ executable: exe, home, path: '/usr/bin' }), { systemdVersion: 252 });
    expect(verify(unit, serviceNames('desktop').unit).out).toBe('');
    expect(unit).toContain('WantedBy=graphical-session.target');
    expect(unit).toContain('"--hidden"');
  });

  it('refuses a program path systemd cannot start, saying what to do', () => {
    expect(() => systemdUnit({ ...spec, program: '/opt/my "node"/node' }, { systemdVersion: 252 })).toThrow(/quote or backslash.*move/);
  });

  it('refuses a line break in a path instead of writing a second setting', () => {
    expect(() => systemdUnit({ ...spec, args: ['daemon\nExecStartPre=/bin/evil'] }, { systemdVersion: 252 })).toThrow(/line break/);
  });
});

describe('launchd agent', () => {
  it("is valid against Apple's plist DTD and carries every argument unchanged", () => {
    const file = join(dir.path, `${serviceNames('daemon').label}.plist`);
    writeFileSync(file, launchdPlist(spec, serviceNames('daemon').label));
    const r = xmllint(['--dtdvalid', join(fixtures, 'PropertyList-1.0.dtd'), file]);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
    const args = execFileSync('xmllint', ['--xpath', '//key[.="ProgramArguments"]/following-sibling::array[1]/string/text()', file], { encoding: 'utf8' });
    // xmllint prints each text node decoded, one per line.
    expect(args.trimEnd().split('\n')).toEqual([spec.program, ...spec.args]);
    const keys = execFileSync('xmllint', ['--xpath', '/plist/dict/key/text()', file], { encoding: 'utf8' }).split('\n');
    expect(keys).toEqual(
      expect.arrayContaining(['Label', 'ProgramArguments', 'RunAtLoad', 'KeepAlive', 'ThrottleInterval', 'StandardOutPath', 'StandardErrorPath']),
    );
  });

  it('the DTD check fails a malformed plist (the check can fail)', () => {
    const file = join(dir.path, 'broken.plist');
    writeFileSync(file, launchdPlist(spec, 'x').replace('<true/>', '<yes/>'));
    expect(xmllint(['--dtdvalid', join(fixtures, 'PropertyList-1.0.dtd'), file]).code).not.toBe(0);
  });
});

describe('Task Scheduler task', () => {
  const xsd = join(fixtures, 'task-subset.xsd');
  const task = taskXml(spec, { userId: 'DESK\\ana', author: 'DESK\\ana' });

  it('is valid against the Task Scheduler schema, also as the UTF-16 file schtasks reads', () => {
    const utf8 = join(dir.path, 'task.xml');
    writeFileSync(utf8, task.replace('encoding="UTF-16"', 'encoding="UTF-8"'));
    const r = xmllint(['--schema', xsd, utf8]);
    expect(r.out).toBe(`${utf8} validates\n`);
    const utf16 = join(dir.path, 'task-utf16.xml');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(task, 'utf16le')]));
    expect(xmllint(['--schema', xsd, utf16]).code).toBe(0);
  });

  it('quotes the program and its arguments as Windows splits them', () => {
    expect(task).toContain('<Command>&quot;');
    expect(task).toContain('<Arguments>');
    expect(task).toContain('<LogonType>InteractiveToken</LogonType>');
    expect(task).toContain('<RunLevel>LeastPrivilege</RunLevel>');
    expect(task).toMatch(/<RestartOnFailure>\s*<Interval>PT1M<\/Interval>\s*<Count>10<\/Count>/);
  });

  it('the schema check fails a wrong value (the check can fail)', () => {
    const file = join(dir.path, 'bad-task.xml');
    writeFileSync(file, task.replace('encoding="UTF-16"', 'encoding="UTF-8"').replace('LeastPrivilege', 'Administrator'));
    expect(xmllint(['--schema', xsd, file]).code).not.toBe(0);
  });
});
