import { sha256 } from '@noble/hashes/sha2.js';
import { CommandError } from '../../src/kernel/index.js';
import { runProgram, type Runner } from '../devices/run.js';
import {
  checkDeviceFiles,
  checkVolumeLabel,
  type BurnResult,
  type DeviceFile,
  type DeviceStatus,
  type IDevices,
  type PrintResult,
} from '../devices/tokens.js';
import { POWERSHELL, powershellArgs, scriptInput } from './powershell.js';
import { BURN_SCRIPT, PRINT_SCRIPT, STATUS_SCRIPT } from './scripts.js';

/** The deployment's choice (flag `devices.printer`): a Windows printer name; empty: the default printer. */
export interface WindowsSettings {
  printer: string;
}

/** IMAPI_FORMAT2_DATA_MEDIA_STATE bits (imapi2.h). */
const MEDIA = { OVERWRITE_ONLY: 0x1, BLANK: 0x2, APPENDABLE: 0x4, FINAL_SESSION: 0x8, FINALIZED: 0x4000, UNSUPPORTED_MASK: 0xfc00 };

/** The media state IMAPI2 reports, as IDevices names it; no state but an error means an empty drive. */
export function mediaFromImapi(state: number | null, error: string | null): DeviceStatus['media'] {
  if (state === null) return error ? 'none' : 'unknown';
  if (state & MEDIA.BLANK) return 'blank';
  if (state & (MEDIA.APPENDABLE | MEDIA.OVERWRITE_ONLY)) return 'appendable';
  if (state & (MEDIA.FINAL_SESSION | MEDIA.FINALIZED)) return 'closed';
  return 'unknown';
}

/**
 * Printer and burner of a Windows desktop through Windows PowerShell: IMAPI2 writes discs (read back
 * from the mounted volume and compared by SHA-256 here), PDFs print through Windows.Data.Pdf and
 * System.Drawing. The files travel on the script's standard input, never through a temp file.
 */
export class WindowsDevices implements IDevices {
  constructor(
    private readonly settings: () => WindowsSettings,
    private readonly run: Runner = runProgram,
  ) {}

  async status(): Promise<DeviceStatus> {
    const out = await this.script<{ printer: string | null; burner: string | null; mediaState: number | null; mediaError: string | null }>(
      STATUS_SCRIPT,
      scriptInput({ text: this.settings().printer }),
    );
    return {
      printer: out.printer !== null,
      burner: out.burner !== null,
      ...(out.burner !== null ? { media: mediaFromImapi(out.mediaState, out.mediaError) } : {}),
      camera: 'renderer',
      ...(out.printer !== null ? { printerName: out.printer } : {}),
      ...(out.burner !== null ? { burnerName: out.burner } : {}),
    };
  }

  async print(files: DeviceFile[]): Promise<PrintResult> {
    checkDeviceFiles(files);
    const out = await this.script<{ printer: string; printed: number }>(PRINT_SCRIPT, scriptInput({ text: this.settings().printer }, files));
    return { printed: files.slice(0, out.printed).map((f) => f.name), destination: out.printer };
  }

  async burn(files: DeviceFile[], opts: { volumeLabel: string }): Promise<BurnResult> {
    checkDeviceFiles(files);
    const label = checkVolumeLabel(opts?.volumeLabel);
    const out = await this.script<{ burner: string; volume: string | null; sha256: (string | null)[] }>(
      BURN_SCRIPT,
      scriptInput({ text: label, plain: true }, files),
    );
    const digests = Array.isArray(out.sha256) ? out.sha256 : [];
    const verified = digests.length === files.length && files.every((f, i) => digests[i] === Buffer.from(sha256(f.data)).toString('hex'));
    return { written: files.map((f) => f.name), verified, destination: out.volume ?? out.burner };
  }

  /** Runs a script; its JSON refusal becomes that CommandError, anything unreadable `E_DEVICE_FAILED`. */
  private async script<T>(script: string, input: string): Promise<T> {
    const r = await this.run(POWERSHELL, powershellArgs(script), { input });
    let out: (T & { error?: undefined }) | { error: string; message: string } | undefined;
    try {
      out = JSON.parse(r.stdout.toString('utf8').trim().split('\n').pop() ?? '');
    } catch {
      out = undefined;
    }
    if (out && typeof out === 'object' && typeof out.error === 'string') throw new CommandError(out.error, out.message);
    if (r.code !== 0 || !out || typeof out !== 'object') {
      const why = r.stderr.trim().split('\n').pop()?.trim() || `exit code ${r.code}`;
      throw new CommandError('E_DEVICE_FAILED', `PowerShell failed: ${why}`);
    }
    return out as T;
  }
}
