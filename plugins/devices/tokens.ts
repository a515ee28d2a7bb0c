import { sha256 } from '@noble/hashes/sha2.js';
import { CommandError, token, type CommandDefinition } from '../../src/kernel/index.js';

/**
 * How anything leaves the air-gapped machine: a printer and a disc burner (or the folders that
 * stand in for them). Exactly one devices plugin provides this: `devices-folder` (default),
 * `devices-linux` or `devices-windows`, chosen in the deployment config.
 */
export interface IDevices {
  /** What is present now (detection may run system tools, so it is asynchronous). */
  status(): Promise<DeviceStatus>;
  /** Prints every file (PDFs), one job each, in order. `E_NO_PRINTER` when no printer is there. */
  print(files: DeviceFile[]): Promise<PrintResult>;
  /**
   * Writes the set of files under `volumeLabel`, then reads what was written back and compares
   * SHA-256 digests. `E_NO_BURNER` / `E_NO_MEDIA` when it cannot write; a mismatch is
   * `verified: false` (the caller tells the administrator to discard the medium).
   */
  burn(files: DeviceFile[], opts: { volumeLabel: string }): Promise<BurnResult>;
}
export const IDevices = token<IDevices>('devices:IDevices');

/** One file to print or burn. Names are plain file names (see {@link checkDeviceFiles}). */
export interface DeviceFile {
  name: string;
  data: Uint8Array;
}

/** What `devices.status` returns (JSON-safe). */
export interface DeviceStatus {
  printer: boolean;
  burner: boolean;
  /** The medium in the burner, when there is a burner; only `blank` and `appendable` take a burn. */
  media?: 'blank' | 'appendable' | 'closed' | 'none' | 'unknown';
  /** QR codes are read by the renderer (getUserMedia + jsQR), never by a devices plugin. */
  camera: 'renderer';
  /** For the administrator: which printer (queue, folder) and which burner (drive, folder) are used. */
  printerName?: string;
  burnerName?: string;
}

export interface PrintResult {
  /** File names sent, in order. */
  printed: string[];
  /** Where they went: the queue or folder. */
  destination: string;
}

export interface BurnResult {
  /** File names written, in order. */
  written: string[];
  /** Every file read back from the medium has the SHA-256 of what was given. */
  verified: boolean;
  /** Where they went: the sub-folder, disc drive or image file. */
  destination: string;
}

/** ISO 9660 volume identifiers are at most 32 characters (ECMA-119 §8.4.6); IMAPI2 and xorriso keep to that. */
export const VOLUME_LABEL_MAX = 32;
/** Joliet names are at most 64 UCS-2 characters; Windows reads discs through Joliet. */
export const FILE_NAME_MAX = 64;

/**
 * The volume label as every devices plugin accepts it: letters, digits, `_` and `-` (safe as an ISO
 * volume id, a Windows and Linux folder name, and inside a PowerShell or shell argument).
 */
export function checkVolumeLabel(label: unknown): string {
  if (typeof label !== 'string' || !/^[A-Za-z0-9_-]+$/.test(label) || label.length > VOLUME_LABEL_MAX) {
    throw new CommandError(
      'E_INVALID_ARGS',
      `volumeLabel must be 1 to ${VOLUME_LABEL_MAX} letters, digits, "_" or "-" (got ${JSON.stringify(String(label).slice(0, 40))})`,
    );
  }
  return label;
}

/**
 * Checks a set of files before anything is written: at least one, plain unique names that are
 * valid on Windows, Linux and Joliet discs, bytes as Uint8Array. Errors name the file by index.
 */
export function checkDeviceFiles(files: readonly DeviceFile[]): void {
  if (!Array.isArray(files) || files.length === 0) throw new CommandError('E_INVALID_ARGS', 'No files given');
  const seen = new Set<string>();
  files.forEach((f, i) => {
    const bad = (why: string) => new CommandError('E_INVALID_ARGS', `files[${i}]: ${why}`);
    if (typeof f?.name !== 'string') throw bad('name must be a string');
    // Windows-reserved characters and controls; also no path: each file goes to the top of the medium.
    if (!f.name || f.name.length > FILE_NAME_MAX || /[<>:"/\\|?*\x00-\x1f]/.test(f.name) || /^\.+$/.test(f.name) || /[. ]$/.test(f.name)) {
      throw bad(`name ${JSON.stringify(f.name)} must be a plain file name of 1 to ${FILE_NAME_MAX} characters without <>:"/\\|?* or a trailing dot or space`);
    }
    const key = f.name.toLowerCase(); // Windows and Joliet compare names without case
    if (seen.has(key)) throw bad(`name ${JSON.stringify(f.name)} is given twice`);
    seen.add(key);
    if (!(f.data instanceof Uint8Array)) throw bad('data must be a Uint8Array');
  });
}

/**
 * True when every file read back has the SHA-256 of the one given. `readBack` returns the
 * bytes found on the medium in the order of `files`, or throws / returns fewer when a file is missing.
 */
export async function sameDigests(files: readonly DeviceFile[], readBack: () => Promise<Uint8Array[]>): Promise<boolean> {
  let found: Uint8Array[];
  try {
    found = await readBack();
  } catch {
    return false;
  }
  return found.length === files.length && files.every((f, i) => equal(sha256(f.data), sha256(found[i])));
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** `devices.status`, registered by whichever devices plugin runs (the UI enables Print and Burn from it). */
export function devicesStatusCommand(devices: IDevices): CommandDefinition<undefined, DeviceStatus & { [k: string]: string | boolean }> {
  return {
    id: 'devices.status',
    title: 'Show the printer and burner',
    audit: false,
    handler: async () => ({ ...(await devices.status()) }) as DeviceStatus & { [k: string]: string | boolean },
  };
}
