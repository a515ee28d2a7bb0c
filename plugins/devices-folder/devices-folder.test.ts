import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestKernel, type TestKernel } from '../../src/kernel/index.js';
import { IDevices, type DeviceFile } from '../devices/tokens.js';
import devicesFolder from './index.js';

// The service is reached the way other plugins reach it: through the IDevices token of a running kernel.
let tk: TestKernel | undefined;
let devices: IDevices;
afterEach(async () => {
  await tk?.cleanup();
  tk = undefined;
});

async function start(flags?: Record<string, string>): Promise<TestKernel> {
  let got: IDevices | undefined;
  const probe = { id: 'probe', requires: { devices: IDevices }, activate: (_: unknown, d: { devices: IDevices }) => void (got = d.devices) };
  tk = await createTestKernel({ plugins: [devicesFolder, probe as never], config: flags ? { flags } : undefined });
  devices = got!;
  return tk;
}

const pdf = (name: string, size = 2000): DeviceFile => ({ name, data: Uint8Array.from({ length: size }, (_, i) => (i * 31 + name.length) & 255) });

describe('devices-folder', () => {
  it('defaults to outbox folders in the data dir, made on first use, and reports them', async () => {
    const { dataDir, kernel } = await start();
    const status = await kernel.commands.execute('devices.status');
    expect(status).toEqual({
      printer: true,
      burner: true,
      media: 'blank',
      camera: 'renderer',
      printerName: join(dataDir, 'outbox', 'print'),
      burnerName: join(dataDir, 'outbox', 'burn'),
    });
    await expect(stat(join(dataDir, 'outbox'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(kernel.flags.list().filter((f) => f.id.startsWith('devices.')).map((f) => [f.id, f.value])).toEqual([
      ['devices.burnFolder', join(dataDir, 'outbox', 'burn')],
      ['devices.printFolder', join(dataDir, 'outbox', 'print')],
    ]);
  });

  it('prints into the print folder without ever replacing a file', async () => {
    const { dataDir } = await start();
    const folder = join(dataDir, 'outbox', 'print');
    const a = pdf('letter.pdf', 3000);
    const b = pdf('letter.pdf', 500);
    expect(await devices.print([a, pdf('other')])).toEqual({ printed: ['letter.pdf', 'other'], destination: folder });
    expect(await devices.print([b])).toEqual({ printed: ['letter (2).pdf'], destination: folder });
    expect((await readdir(folder)).sort()).toEqual(['letter (2).pdf', 'letter.pdf', 'other']);
    expect(await readFile(join(folder, 'letter.pdf'))).toEqual(Buffer.from(a.data));
    expect(await readFile(join(folder, 'letter (2).pdf'))).toEqual(Buffer.from(b.data));
    expect((await stat(join(folder, 'letter.pdf'))).mode & 0o777).toBe(0o600); // letters hold private keys
  });

  it('burns into a new sub-folder per volume label and verifies it', async () => {
    const { dataDir } = await start();
    const files = [pdf('a.pdf', 70_000), pdf('b.pdf', 10)];
    const first = await devices.burn(files, { volumeLabel: 'KEYWARD_2026-11' });
    expect(first).toEqual({ written: ['a.pdf', 'b.pdf'], verified: true, destination: join(dataDir, 'outbox', 'burn', 'KEYWARD_2026-11') });
    for (const f of files) expect(await readFile(join(first.destination, f.name))).toEqual(Buffer.from(f.data));
    const second = await devices.burn([pdf('c.pdf')], { volumeLabel: 'KEYWARD_2026-11' });
    expect(second.destination).toBe(join(dataDir, 'outbox', 'burn', 'KEYWARD_2026-11-2'));
    expect(await readdir(first.destination)).toEqual(['a.pdf', 'b.pdf']);
  });

  it('a configured folder must be there: the USB stick workflow', async () => {
    const stick = join(tmpdir(), `keyward-stick-${process.pid}-${Date.now()}`);
    try {
      // Relative paths start at the data dir.
      const { dataDir } = await start({ 'devices.burnFolder': stick, 'devices.printFolder': 'printed' });
      expect(await devices.status()).toMatchObject({ printer: false, burner: false, burnerName: stick, printerName: join(dataDir, 'printed') });
      expect((await devices.status()).media).toBeUndefined();
      await expect(devices.burn([pdf('a.pdf')], { volumeLabel: 'K' })).rejects.toMatchObject({
        code: 'E_NO_BURNER',
        message: `The burn folder ${stick} is not there or not writable (is the USB stick inserted?)`,
      });
      await expect(devices.print([pdf('a.pdf')])).rejects.toMatchObject({ code: 'E_NO_PRINTER' });
      await mkdir(stick); // the stick is inserted
      expect(await devices.status()).toMatchObject({ burner: true, media: 'blank' });
      const r = await devices.burn([pdf('a.pdf')], { volumeLabel: 'K' });
      expect(r).toEqual({ written: ['a.pdf'], verified: true, destination: join(stick, 'K') });
    } finally {
      await rm(stick, { recursive: true, force: true });
    }
  });

  it('refuses bad input before writing anything', async () => {
    const { dataDir } = await start();
    await expect(devices.burn([pdf('a.pdf')], { volumeLabel: '../up' })).rejects.toMatchObject({ code: 'E_INVALID_ARGS' });
    await expect(devices.burn([pdf('a.pdf'), pdf('A.PDF')], { volumeLabel: 'K' })).rejects.toThrow('files[1]: name "A.PDF" is given twice');
    await expect(devices.print([pdf('ok.pdf'), pdf('../escape.pdf')])).rejects.toThrow('files[1]: name "../escape.pdf"');
    await expect(stat(join(dataDir, 'outbox'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
