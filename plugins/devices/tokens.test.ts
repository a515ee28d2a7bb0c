import { describe, expect, it } from 'vitest';
import { checkDeviceFiles, checkVolumeLabel, sameDigests, type DeviceFile } from './tokens.js';

const file = (name: string, text = name): DeviceFile => ({ name, data: new TextEncoder().encode(text) });

describe('the IDevices contract checks', () => {
  it('accepts plain names and labels', () => {
    expect(() => checkDeviceFiles([file('John Smith +46701234567.pdf'), file('b.pdf')])).not.toThrow();
    expect(checkVolumeLabel('KEYWARD_2026-11')).toBe('KEYWARD_2026-11');
  });

  it.each([
    [[], 'No files given'],
    [[file('../x.pdf')], 'files[0]: name "../x.pdf" must be a plain file name'],
    [[file('a.pdf'), file('dir\\x.pdf')], 'files[1]: name "dir\\\\x.pdf" must be a plain file name'],
    [[file('..')], 'files[0]: name ".." must be a plain file name'],
    [[file('a:b.pdf')], 'files[0]: name "a:b.pdf"'],
    [[file('a.pdf.')], 'files[0]: name "a.pdf."'],
    [[file('x'.repeat(65))], 'files[0]: name "xxx'],
    [[file('A.pdf'), file('a.PDF')], 'files[1]: name "a.PDF" is given twice'],
    [[{ name: 'a.pdf', data: 'text' as unknown as Uint8Array }], 'files[0]: data must be a Uint8Array'],
  ])('refuses bad files %#', (files, message) => {
    expect(() => checkDeviceFiles(files)).toThrow(message);
    try {
      checkDeviceFiles(files);
    } catch (err) {
      expect(err).toMatchObject({ code: 'E_INVALID_ARGS' });
    }
  });

  it.each(['', 'has space', 'x'.repeat(33), 'ÅÄÖ', 'a/b', undefined])('refuses the volume label %j', (label) => {
    expect(() => checkVolumeLabel(label)).toThrow(/volumeLabel must be 1 to 32 letters, digits/);
  });

  it('compares SHA-256 of what was read back', async () => {
    const files = [file('a.pdf', 'one'), file('b.pdf', 'two')];
    expect(await sameDigests(files, async () => files.map((f) => f.data.slice()))).toBe(true);
    expect(await sameDigests(files, async () => [files[0].data, new TextEncoder().encode('twO')])).toBe(false);
    expect(await sameDigests(files, async () => [files[0].data])).toBe(false);
    expect(await sameDigests(files, async () => Promise.reject(new Error('ENOENT')))).toBe(false);
  });
});
