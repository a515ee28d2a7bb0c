import { constants } from 'node:fs';
import { access, mkdtemp, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandError } from '../../src/kernel/index.js';
import { runProgram, type Runner } from '../devices/run.js';
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
import { lpArgs, parseDefaultQueue, parseJobId } from './cups.js';
import { opticalDrives, parseMediaState, readArgs, tocArgs, writeArgs, type MediaState } from './xorriso.js';

/** The deployment's choices (flags `devices.printer`, `devices.burner`). */
export interface LinuxSettings {
  /** CUPS queue; empty: the default destination (`lpstat -d`). */
  printer: string;
  /** Empty: the first optical drive (/dev/sr*); a /dev path: that drive; otherwise an absolute folder that receives ISO images. */
  burner: string;
}

type Burner = { kind: 'drive'; path: string } | { kind: 'images'; folder: string };
/** What xorriso writes to (`path`), what the administrator is told (`destination`), the image `file` if one. */
type Target = { path: string; append: boolean; destination: string; file?: string };

/**
 * Printer and burner of a Linux desktop: CUPS `lp` (the job's bytes go on lp's standard input) and
 * xorriso for discs or ISO image files. Burns are read back from the medium with xorriso and compared by SHA-256.
 */
export class LinuxDevices implements IDevices {
  constructor(
    private readonly settings: () => LinuxSettings,
    private readonly run: Runner = runProgram,
    /** Where optical drives are looked for; a test may point it elsewhere. */
    private readonly devDir = '/dev',
  ) {}

  async status(): Promise<DeviceStatus> {
    const [printer, burner] = await Promise.all([this.queue(), this.burner()]);
    const media = burner.found ? await this.media(burner.found) : undefined;
    const printerName = printer.queue ?? this.settings().printer;
    return {
      printer: printer.queue !== undefined,
      // A drive that xorriso can open is a burner even with no disc in it.
      burner: media !== undefined,
      ...(media ? { media } : {}),
      camera: 'renderer',
      ...(printerName ? { printerName } : {}),
      ...(burner.found ? { burnerName: burner.found.kind === 'drive' ? burner.found.path : burner.found.folder } : {}),
    };
  }

  async print(files: DeviceFile[]): Promise<PrintResult> {
    checkDeviceFiles(files);
    const { queue, why } = await this.queue();
    if (!queue) throw new CommandError('E_NO_PRINTER', why!);
    const printed: string[] = [];
    for (const f of files) {
      const r = await this.run('lp', lpArgs(queue, f.name), { input: f.data });
      if (r.code !== 0 || !parseJobId(r.stdout.toString('utf8'))) {
        throw new CommandError(
          'E_PRINT_FAILED',
          `CUPS refused "${f.name}" for ${queue}: ${lastLine(r.stderr) || `lp exit code ${r.code}`} (${printed.length} of ${files.length} sent before it)`,
        );
      }
      printed.push(f.name);
    }
    return { printed, destination: queue };
  }

  async burn(files: DeviceFile[], opts: { volumeLabel: string }): Promise<BurnResult> {
    checkDeviceFiles(files);
    const label = checkVolumeLabel(opts?.volumeLabel);
    const { found, why } = await this.burner();
    if (!found) throw new CommandError('E_NO_BURNER', why!);
    const target = found.kind === 'drive' ? await this.drive(found.path) : await newImage(found.folder, label);
    let stage: string | undefined;
    try {
      stage = await mkdtemp(join(await stagingRoot(), 'keyward-burn-'));
      for (const f of files) await writeFile(join(stage, f.name), f.data, { mode: 0o600 });
      const r = await this.run('xorriso', writeArgs(target, label, stage));
      if (r.code !== 0) throw new CommandError('E_BURN_FAILED', `xorriso could not write ${target.destination}: ${problem(r.stderr)}`);
    } catch (err) {
      if (target.file) await rm(target.file, { force: true }); // no half-written image is left
      throw err;
    } finally {
      if (stage) await rm(stage, { recursive: true, force: true });
    }
    const verified = await sameDigests(files, async () => {
      const r = await this.run('xorriso', readArgs(target.path, files.map((f) => f.name)));
      if (r.code !== 0) throw new Error(problem(r.stderr));
      return split(r.stdout, files);
    });
    return { written: files.map((f) => f.name), verified, destination: target.destination };
  }

  /** The queue to print to, or why there is none. */
  private async queue(): Promise<{ queue?: string; why?: string }> {
    try {
      const named = this.settings().printer;
      const queue = named || parseDefaultQueue((await this.run('lpstat', ['-d'])).stdout.toString('utf8'));
      if (!queue) return { why: 'CUPS has no default printer; set one (lpadmin -d) or name a queue in devices.printer' };
      const r = await this.run('lpstat', ['-p', queue]);
      return r.code === 0 ? { queue } : { why: `CUPS does not know the printer "${queue}": ${lastLine(r.stderr) || 'lpstat failed'}` };
    } catch (err) {
      return { why: err instanceof CommandError ? `${err.message} (install cups)` : String(err) };
    }
  }

  private async burner(): Promise<{ found?: Burner; why?: string }> {
    const setting = this.settings().burner;
    if (!setting) {
      const drive = opticalDrives(this.devDir, await readdir(this.devDir).catch(() => []))[0];
      return drive ? { found: { kind: 'drive', path: drive } } : { why: `No optical drive (${this.devDir}/sr*) is connected` };
    }
    if (setting.startsWith(`${this.devDir}/`)) return { found: { kind: 'drive', path: setting } };
    return (await writableDir(setting))
      ? { found: { kind: 'images', folder: setting } }
      : { why: `The ISO image folder ${setting} is not there or not writable` };
  }

  /** The medium's state; a folder of images always takes a new image. A missing xorriso is no burner. */
  private async media(b: Burner): Promise<MediaState | undefined> {
    if (b.kind === 'images') return 'blank';
    try {
      await access(b.path, constants.R_OK);
      const r = await this.run('xorriso', tocArgs(b.path));
      return parseMediaState(`${r.stdout.toString('utf8')}\n${r.stderr}`);
    } catch {
      return undefined;
    }
  }

  /** The drive, if its medium takes a session; otherwise why not. */
  private async drive(path: string): Promise<Target> {
    const media = await this.media({ kind: 'drive', path });
    if (media === 'blank' || media === 'appendable') return { path, append: true, destination: path };
    const why = {
      none: `There is no disc in ${path}`,
      closed: `The disc in ${path} is closed; insert a blank or appendable disc`,
      unknown: `The state of the disc in ${path} is unknown; try another disc`,
    }[media ?? 'unknown'];
    throw new CommandError(media === undefined ? 'E_NO_BURNER' : 'E_NO_MEDIA', media === undefined ? `Cannot open ${path} with xorriso` : why);
  }
}

/** Reserves `<folder>/<label>.iso` (or `-2`, `-3`…) by creating it empty: an earlier image is never replaced. */
async function newImage(folder: string, label: string): Promise<Target> {
  for (let n = 1; ; n++) {
    const file = join(folder, `${n === 1 ? label : `${label}-${n}`}.iso`);
    try {
      await (await open(file, 'wx', 0o600)).close();
      return { path: `stdio:${file}`, append: false, destination: file, file };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new CommandError('E_BURN_FAILED', `Cannot create ${file} (${(err as NodeJS.ErrnoException).code})`);
    }
  }
}

/**
 * The letters hold private keys and xorriso reads files, so they are staged in RAM (/dev/shm) when
 * the machine has it, in a private folder removed right after the write.
 */
async function stagingRoot(): Promise<string> {
  return (await writableDir('/dev/shm')) ? '/dev/shm' : tmpdir();
}

async function writableDir(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isDirectory()) return false;
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Cuts xorriso's concatenated output back into the files, by the sizes given. */
function split(out: Buffer, files: readonly DeviceFile[]): Uint8Array[] {
  const total = files.reduce((n, f) => n + f.data.length, 0);
  if (out.length !== total) throw new Error(`read back ${out.length} bytes, expected ${total}`);
  let at = 0;
  return files.map((f) => out.subarray(at, (at += f.data.length)));
}

/** The last FAILURE or SORRY message of xorriso, else its last line. */
function problem(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => /: (FAILURE|SORRY|FATAL) :/.test(l));
  return (lines.pop() ?? lastLine(stderr)).replace(/^xorriso : /, '') || 'no message';
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}
