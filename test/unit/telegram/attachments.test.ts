import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AttachmentPathError, attachmentPath, safeFileName } from '../../../src-main/core/telegram/attachments.ts';
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

describe('attachment paths', () => {
  it('are new files in the session folder (0700), never outside the attachments root', () => {
    dir = tempDir('reins-att-');
    const root = join(dir.path, 'attachments');
    const p = attachmentPath(root, 'a1b2c3d4-0000-4000-8000-000000000001', '../../../.ssh/authorized_keys', Date.UTC(2026, 0, 2, 3, 4, 5), 7);
    expect(p).toBe(join(root, 'a1b2c3d4-0000-4000-8000-000000000001', '20260102T030405-7-authorized_keys'));
    expect(existsSync(dirname(p))).toBe(true);
    expect(statSync(dirname(p)).mode & 0o777).toBe(0o700);
  });

  it('refuse a session id that could name another folder', () => {
    dir = tempDir('reins-att-');
    expect(() => attachmentPath(dir!.path, '../x', 'a.txt', 0, 1)).toThrow(AttachmentPathError);
    expect(() => attachmentPath(dir!.path, 'a/b', 'a.txt', 0, 1)).toThrow(AttachmentPathError);
  });
});
