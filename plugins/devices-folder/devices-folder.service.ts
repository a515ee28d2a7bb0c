import { constants } from 'node:fs';
import { access, mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CommandError } from '../../src/kernel/index.js';
import {
  checkDeviceFiles,
  checkVolumeLabel,
  sameDigests,
  type BurnResult,
  type DeviceFile,
  type DeviceStatus,
  type IDevices,
  type PrintResult,
} from '../devices/tokens.js';

/** Where "print" and "burn" write; `created` folders are made on first use (the defaults), the others must exist. */
export interface FolderPaths {
  print: { path: string; created: boolean };
  burn: { path: string; created: boolean };
}

/**
 * Folders standing in for a printer and a disc burner: the default device, and the USB-stick workflow
 * (point the burn folder at the stick). Print puts the files in the print folder, never replacing one
 * already there; burn puts them in a new sub-folder named by the volume label, synced to the medium,
 * then reads them back and compares SHA-256. A failed write removes what that call wrote.
 */
export class FolderDevices implements IDevices {
  /** `paths` is read on every call, so a flag change in the config applies at the next unlock. */
  constructor(private readonly paths: () => FolderPaths) {}

  async status(): Promise<DeviceStatus> {
    const { print, burn } = this.paths();
    const [printer, burner] = await Promise.all([usable(print), usable(burn)]);
    return {
      printer,
      burner,
      // A new sub-folder is made for every burn, so a present folder is always like a blank disc.
      ...(burner ? { media: 'blank' as const } : {}),
      camera: 'renderer',
      printerName: print.path,
      burnerName: burn.path,
    };
  }

  async print(files: DeviceFile[]): Promise<PrintResult> {
    checkDeviceFiles(files);
    const { print } = this.paths();
    await ready(print, 'E_NO_PRINTER', 'print');
    const written: string[] = [];
    try {
      for (const f of files) written.push(await writeNew(print.path, f));
    } catch (err) {
      await Promise.all(written.map((name) => rm(join(print.path, name), { force: true })));
      throw writeError(err, print.path);
    }
    return { printed: written, destination: print.path };
  }

  async burn(files: DeviceFile[], opts: { volumeLabel: string }): Promise<BurnResult> {
    checkDeviceFiles(files);
    const label = checkVolumeLabel(opts?.volumeLabel);
    const { burn } = this.paths();
    await ready(burn, 'E_NO_BURNER', 'burn');
    const dir = await newFolder(burn.path, label);
    try {
      for (const f of files) await writeNew(dir, f);
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw writeError(err, dir);
    }
    const verified = await sameDigests(files, () => Promise.all(files.map((f) => readFile(join(dir, f.name)))));
    return { written: files.map((f) => f.name), verified, destination: dir };
  }
}

/** A writable folder, or one this plugin may create. */
async function usable(folder: { path: string; created: boolean }): Promise<boolean> {
  if (folder.created) return true;
  try {
    if (!(await stat(folder.path)).isDirectory()) return false;
    await access(folder.path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

async function ready(folder: { path: string; created: boolean }, code: string, what: string): Promise<void> {
  if (folder.created) await mkdir(folder.path, { recursive: true, mode: 0o700 });
  else if (!(await usable(folder))) {
    throw new CommandError(code, `The ${what} folder ${folder.path} is not there or not writable (is the USB stick inserted?)`);
  }
}

/** `<parent>/<label>`, or `<label>-2`, `-3`… when taken: a burn never mixes with an earlier one. */
async function newFolder(parent: string, label: string): Promise<string> {
  for (let n = 1; ; n++) {
    const dir = join(parent, n === 1 ? label : `${label}-${n}`);
    try {
      await mkdir(dir, { mode: 0o700 });
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError(err, dir);
    }
  }
}

/**
 * Writes `f` into `dir` under its name, or `name (2).ext`… if taken (created exclusively, so nothing
 * is ever replaced), and syncs it so a USB stick pulled afterwards holds it. Returns the name used.
 */
async function writeNew(dir: string, f: DeviceFile): Promise<string> {
  const dot = f.name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [f.name.slice(0, dot), f.name.slice(dot)] : [f.name, ''];
  for (let n = 1; ; n++) {
    const name = n === 1 ? f.name : `${stem} (${n})${ext}`;
    const path = join(dir, name);
    let handle;
    try {
      handle = await open(path, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    try {
      await handle.writeFile(f.data);
      await handle.sync();
    } catch (err) {
      await handle.close().catch(() => undefined);
      await rm(path, { force: true });
      throw err;
    }
    await handle.close();
    return name;
  }
}

function writeError(err: unknown, where: string): CommandError {
  if (err instanceof CommandError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  return new CommandError('E_DEVICE_WRITE', `Cannot write to ${where} (${code}); nothing was left there`);
}
