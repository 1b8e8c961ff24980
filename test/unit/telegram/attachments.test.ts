import { mkdirSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AttachmentPathError, reserveAttachment, safeFileName } from '../../../src-main/surfaces/telegram/attachments.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

let dir: ReturnType<typeof tempDir> | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});

describe('attachment file names', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\system.ini', 'system.ini'],
    ['.bashrc', 'bashrc'],
    ['..', 'file'],
    ['', 'file'],
    ['my photo (1).jpg', 'my_photo_1_.jpg'],
    ['rm -rf $(whoami);.sh', 'rm_-rf_whoami_.sh'],
    ['naïve café.txt', 'naive_cafe.txt'],
    ['a\u0000b\nc.txt', 'a_b_c.txt'],
  ])('%j → %j', (input, expected) => {
    expect(safeFileName(input)).toBe(expected);
  });

  it('keeps the extension when it shortens a long name', () => {
    const name = safeFileName(`${'x'.repeat(300)}.tar.gz`);
    expect(name).toHaveLength(80);
    expect(name.endsWith('.gz')).toBe(true);
  });
});

describe('reserving an attachment', () => {
  const SESSION = 'a1b2c3d4-0000-4000-8000-000000000001';
  const AT = Date.UTC(2026, 0, 2, 3, 4, 5);

  it('is a new empty 0600 file in the session folder (0700), never outside the attachments root', () => {
    dir = tempDir('reins-att-');
    const root = join(dir.path, 'attachments');
    const p = reserveAttachment(root, SESSION, '../../../.ssh/authorized_keys', AT);
    expect(p).toBe(join(realpathSync(root), SESSION, '20260102T030405-authorized_keys'));
    expect(statSync(dirname(p)).mode & 0o777).toBe(0o700);
    expect(statSync(p).mode & 0o777).toBe(0o600);
    expect(readFileSync(p, 'utf8')).toBe('');
  });

  it('gives a name already taken a number instead of failing with EEXIST or overwriting', () => {
    dir = tempDir('reins-att-');
    const root = join(dir.path, 'attachments');
    const first = reserveAttachment(root, SESSION, 'report.pdf', AT);
    writeFileSync(first, 'the first report');
    const second = reserveAttachment(root, SESSION, 'report.pdf', AT);
    const third = reserveAttachment(root, SESSION, 'report.pdf', AT);
    expect([second, third].map((p) => p.slice(dirname(p).length + 1))).toEqual(['20260102T030405-report-2.pdf', '20260102T030405-report-3.pdf']);
    expect(readFileSync(first, 'utf8')).toBe('the first report');
  });

  it('refuses a session folder that is a symbolic link leading outside attachments/', () => {
    dir = tempDir('reins-att-');
    const root = join(dir.path, 'attachments');
    const elsewhere = join(dir.path, 'elsewhere');
    mkdirSync(root, { recursive: true });
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(root, SESSION));
    expect(() => reserveAttachment(root, SESSION, 'a.txt', AT)).toThrow(AttachmentPathError);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('refuses an attachments root that is a symbolic link', () => {
    dir = tempDir('reins-att-');
    const elsewhere = join(dir.path, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(dir.path, 'attachments'));
    expect(() => reserveAttachment(join(dir!.path, 'attachments'), SESSION, 'a.txt', AT)).toThrow(AttachmentPathError);
  });

  it('refuses a session id that could name another folder', () => {
    dir = tempDir('reins-att-');
    expect(() => reserveAttachment(dir!.path, '../x', 'a.txt', 0)).toThrow(AttachmentPathError);
    expect(() => reserveAttachment(dir!.path, 'a/b', 'a.txt', 0)).toThrow(AttachmentPathError);
  });
});
