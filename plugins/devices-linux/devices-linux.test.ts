import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestKernel, type TestKernel } from '../../src/kernel/index.js';
import devicesFolder from '../devices-folder/index.js';
import { runProgram, type Runner } from '../devices/run.js';
import { IDevices, type DeviceFile } from '../devices/tokens.js';
import devicesWindows from '../devices-windows/index.js';
import { LinuxDevices } from './devices-linux.service.js';
import devicesLinux from './index.js';

const exec = promisify(execFile);
const pdf = (name: string, n: number): DeviceFile => ({ name, data: Uint8Array.from({ length: n }, (_, i) => (i * 13 + n + name.length) & 255) });
const letters = [pdf('John Smith +46701234567.pdf', 120_000), pdf('Anna [2].pdf', 3000), pdf('empty.pdf', 0)];

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keyward-linux-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** xorriso's own extraction of the image into a folder: an independent reading of what was burnt. */
async function extract(image: string): Promise<string> {
  const out = join(dir, 'extracted');
  await exec('xorriso', ['-osirrox', 'on', '-indev', `stdio:${image}`, '-extract', '/', out]);
  return out;
}

describe('devices-linux burns ISO images with xorriso', () => {
  let tk: TestKernel | undefined;
  afterEach(async () => {
    await tk?.cleanup();
    tk = undefined;
  });

  it('is chosen by the config instead of devices-folder, and writes, reads back and verifies an image', async () => {
    let devices: IDevices | undefined;
    const probe = { id: 'probe', requires: { devices: IDevices }, activate: (_: unknown, d: { devices: IDevices }) => void (devices = d.devices) };
    const all = [devicesFolder, devicesLinux, devicesWindows, probe as never];
    tk = await createTestKernel({ plugins: all, config: { enabled: ['devices-linux'], disabled: ['devices-folder'], flags: { 'devices.burner': 'images' } } });
    expect(tk.kernel.report().map((p) => [p.id, p.status])).toEqual([
      ['devices-folder', 'disabled'],
      ['devices-linux', 'active'],
      ['devices-windows', 'disabled'],
      ['probe', 'active'],
    ]);
    const images = join(tk.dataDir, 'images'); // relative to the data dir
    expect(await tk.kernel.commands.execute('devices.status')).toMatchObject({ burner: false, camera: 'renderer' });
    await expect(devices!.burn(letters, { volumeLabel: 'KW' })).rejects.toMatchObject({ code: 'E_NO_BURNER', message: `The ISO image folder ${images} is not there or not writable` });
    await mkdir(images);
    expect(await tk.kernel.commands.execute('devices.status')).toMatchObject({ burner: true, media: 'blank', burnerName: images });

    const result = await devices!.burn(letters, { volumeLabel: 'KEYWARD_2026-11' });
    const image = join(images, 'KEYWARD_2026-11.iso');
    expect(result).toEqual({ written: letters.map((f) => f.name), verified: true, destination: image });

    const out = await extract(image);
    expect((await readdir(out)).sort()).toEqual(letters.map((f) => f.name).sort());
    for (const f of letters) expect(Buffer.compare(await readFile(join(out, f.name)), Buffer.from(f.data))).toBe(0);
    const toc = await exec('xorriso', ['-indev', `stdio:${image}`, '-toc']);
    expect(toc.stdout + toc.stderr).toContain("Volume id    : 'KEYWARD_2026-11'");
    // Rock Ridge modes: readable by whoever mounts the disc; Joliet is on for Windows.
    const ls = await exec('xorriso', ['-indev', `stdio:${image}`, '-lsl', '/']);
    expect(ls.stdout.trim().split('\n').slice(1).every((l) => l.startsWith('-r--r--r--'))).toBe(true);
    // Without Rock Ridge a reader falls back to Joliet, which keeps the full name (plain ISO 9660 would not).
    const joliet = await exec('xorriso', ['-read_fs', 'norock', '-indev', `stdio:${image}`, '-ls', '/']);
    expect(joliet.stdout).toContain("'John Smith +46701234567.pdf'");

    // A second burn with the same label never replaces the first image.
    const again = await devices!.burn([letters[1]], { volumeLabel: 'KEYWARD_2026-11' });
    expect(again.destination).toBe(join(images, 'KEYWARD_2026-11-2.iso'));
    expect(await readdir(images)).toEqual(['KEYWARD_2026-11-2.iso', 'KEYWARD_2026-11.iso']);
    // The staging folder (the letters hold private keys) is gone.
    expect((await readdir('/dev/shm').catch(() => [])).filter((n) => n.startsWith('keyward-burn-'))).toEqual([]);
  });
});

describe('LinuxDevices read-back and drives', () => {
  it('reports verified: false when the medium does not hold what was given', async () => {
    // Real xorriso, but the image is damaged between writing and reading back (a bad disc).
    const damaging: Runner = async (program, args, opts) => {
      const r = await runProgram(program, args, opts);
      if (args.includes('-commit')) {
        const image = args[1].slice('stdio:'.length);
        const bytes = await readFile(image);
        const at = bytes.indexOf(Buffer.from(letters[1].data.subarray(0, 64)));
        expect(at).toBeGreaterThan(0);
        bytes[at + 10] ^= 1;
        await writeFile(image, bytes);
      }
      return r;
    };
    const devices = new LinuxDevices(() => ({ printer: '', burner: dir }), damaging);
    expect(await devices.burn(letters, { volumeLabel: 'KW' })).toMatchObject({ verified: false });
  });

  it('names xorriso failures and leaves no half-written image', async () => {
    const devices = new LinuxDevices(() => ({ printer: '', burner: dir }), (p, args, o) => runProgram(p, args.map((a) => (a === '-joliet' ? '-no_such_command' : a)), o));
    await expect(devices.burn(letters, { volumeLabel: 'KW' })).rejects.toMatchObject({ code: 'E_BURN_FAILED', message: expect.stringContaining('xorriso could not write') });
    expect(await readdir(dir)).toEqual([]);
    const noXorriso = new LinuxDevices(() => ({ printer: '', burner: dir }), (p, args, o) => runProgram(p === 'xorriso' ? 'xorriso-not-installed' : p, args, o));
    await expect(noXorriso.burn(letters, { volumeLabel: 'KW' })).rejects.toMatchObject({ code: 'E_DEVICE_TOOL', message: 'xorriso-not-installed is not installed on this machine' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('uses the first optical drive and refuses media that take no session', async () => {
    // No drive here: the device entries are files in a temp "/dev", xorriso's answers are those of a drive.
    const dev = join(dir, 'dev');
    await mkdir(dev);
    const calls: string[][] = [];
    let media = 'Media status : is written , is closed\n';
    const drive: Runner = async (program, args) => {
      calls.push([program, ...args]);
      return { code: 0, stdout: Buffer.from(args.includes('-toc') ? media : ''), stderr: '' };
    };
    const devices = new LinuxDevices(() => ({ printer: '', burner: '' }), drive, dev);
    expect(await devices.status()).toMatchObject({ burner: false });
    await expect(devices.burn(letters, { volumeLabel: 'KW' })).rejects.toMatchObject({ code: 'E_NO_BURNER', message: `No optical drive (${dev}/sr*) is connected` });

    await writeFile(join(dev, 'sr1'), '');
    await writeFile(join(dev, 'sr0'), '');
    expect(await devices.status()).toMatchObject({ burner: true, media: 'closed', burnerName: join(dev, 'sr0') });
    await expect(devices.burn(letters, { volumeLabel: 'KW' })).rejects.toMatchObject({ code: 'E_NO_MEDIA', message: `The disc in ${dev}/sr0 is closed; insert a blank or appendable disc` });
    media = 'Media status : is not present\n';
    await expect(devices.burn(letters, { volumeLabel: 'KW' })).rejects.toMatchObject({ code: 'E_NO_MEDIA', message: `There is no disc in ${dev}/sr0` });

    media = 'Media status : is written , is appendable\n';
    calls.length = 0;
    // The drive's read-back returns nothing here, so the burn is written but not verified.
    expect(await devices.burn(letters, { volumeLabel: 'KW' })).toMatchObject({ verified: false, destination: join(dev, 'sr0') });
    expect(calls.map((c) => c.slice(0, 3))).toEqual([
      ['xorriso', '-outdev', join(dev, 'sr0')],
      ['xorriso', '-dev', join(dev, 'sr0')],
      ['xorriso', '-osirrox', 'on'],
    ]);
  });
});
