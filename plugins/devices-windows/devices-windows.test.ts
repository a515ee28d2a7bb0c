import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import type { Runner } from '../devices/run.js';
import type { DeviceFile } from '../devices/tokens.js';
import { mediaFromImapi, WindowsDevices } from './devices-windows.service.js';
import { POWERSHELL, powershellArgs } from './powershell.js';
import { BURN_SCRIPT, PRINT_SCRIPT, STATUS_SCRIPT } from './scripts.js';

// PowerShell and IMAPI2 do not run here: these tests check the exact command, script and input
// handed to powershell.exe, and how its answers are read.

const letters: DeviceFile[] = [
  { name: 'John Göran Smith +46701234567.pdf', data: Uint8Array.from({ length: 5000 }, (_, i) => i & 255) },
  { name: 'empty.pdf', data: new Uint8Array(0) },
];
const hex = (d: Uint8Array) => Buffer.from(sha256(d)).toString('hex');

/** Records each call and answers with the next canned result. */
function powershell(...answers: { code?: number; stdout?: string; stderr?: string }[]) {
  const calls: { program: string; args: readonly string[]; input: string }[] = [];
  const run: Runner = async (program, args, opts) => {
    calls.push({ program, args, input: String(opts?.input ?? '') });
    const a = answers.shift()!;
    return { code: a.code ?? 0, stdout: Buffer.from(a.stdout ?? ''), stderr: a.stderr ?? '' };
  };
  return { calls, run };
}

const decodeScript = (args: readonly string[]) => Buffer.from(args[args.length - 1], 'base64').toString('utf16le');
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('devices-windows command lines', () => {
  it('runs Windows PowerShell without profile or prompts, the script encoded, well under the 32767-character command line', () => {
    for (const script of [STATUS_SCRIPT, BURN_SCRIPT, PRINT_SCRIPT]) {
      const args = powershellArgs(script);
      expect(args.slice(0, 5)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
      expect(decodeScript(args)).toBe(script);
      expect([POWERSHELL, ...args].join(' ').length).toBeLessThan(32_767);
    }
  });

  it('burns with IMAPI2: the label and files go on standard input, the digests read back are compared', async () => {
    const ps = powershell({ stdout: JSON.stringify({ burner: 'E:\\', volume: 'E:\\', sha256: letters.map((f) => hex(f.data)) }) });
    const devices = new WindowsDevices(() => ({ printer: '' }), ps.run);
    expect(await devices.burn(letters, { volumeLabel: 'KEYWARD_2026-11' })).toEqual({ written: letters.map((f) => f.name), verified: true, destination: 'E:\\' });

    const [call] = ps.calls;
    expect(call.program).toBe('powershell.exe');
    const script = decodeScript(call.args);
    expect(script).toBe(BURN_SCRIPT);
    for (const step of [
      'New-Object -ComObject IMAPI2.MsftDiscMaster2',
      '$recorder.InitializeDiscRecorder($master.Item(0))',
      'New-Object -ComObject IMAPI2.MsftDiscFormat2Data',
      'New-Object -ComObject IMAPI2FS.MsftFileSystemImage',
      '$image.FileSystemsToCreate = 3',
      '$image.VolumeName = $label',
      '$image.MultisessionInterfaces = $format.MultisessionInterfaces',
      'New-Object -ComObject ADODB.Stream',
      '$image.Root.AddFile($f.Name, $stream)',
      '$format.Write($image.CreateResultImage().ImageStream)',
      "Get-FileHash -LiteralPath $p -Algorithm SHA256",
    ]) {
      expect(script).toContain(step);
    }
    expect(call.input).toBe(
      ['KEYWARD_2026-11', ...letters.map((f) => `${b64(f.name)}\t${Buffer.from(f.data).toString('base64')}`)].join('\n') + '\n',
    );
    // Nothing secret in the command line: the data is only on standard input.
    expect(call.args.join(' ')).not.toContain(Buffer.from(letters[0].data).toString('base64').slice(0, 40));
  });

  it('reports a disc that does not read back the same as not verified', async () => {
    const wrong = powershell({ stdout: JSON.stringify({ burner: 'E:\\', volume: 'E:\\', sha256: [hex(letters[0].data), null] }) });
    expect(await new WindowsDevices(() => ({ printer: '' }), wrong.run).burn(letters, { volumeLabel: 'K' })).toMatchObject({ verified: false });
    const unmounted = powershell({ stdout: JSON.stringify({ burner: 'E:\\', volume: null, sha256: [] }) });
    expect(await new WindowsDevices(() => ({ printer: '' }), unmounted.run).burn(letters, { volumeLabel: 'K' })).toMatchObject({ verified: false, destination: 'E:\\' });
  });

  it("turns the script's refusals and failures into command errors", async () => {
    const refusal = powershell({ code: 3, stdout: '{"error":"E_NO_MEDIA","message":"There is no disc in E:\\\\"}' });
    await expect(new WindowsDevices(() => ({ printer: '' }), refusal.run).burn(letters, { volumeLabel: 'K' })).rejects.toMatchObject({
      code: 'E_NO_MEDIA',
      message: 'There is no disc in E:\\',
    });
    const crash = powershell({ code: 1, stdout: '', stderr: 'Something\nAccess is denied.\n' });
    await expect(new WindowsDevices(() => ({ printer: '' }), crash.run).status()).rejects.toMatchObject({
      code: 'E_DEVICE_FAILED',
      message: 'PowerShell failed: Access is denied.',
    });
    // Bad input never reaches PowerShell.
    const none = powershell();
    await expect(new WindowsDevices(() => ({ printer: '' }), none.run).burn(letters, { volumeLabel: 'two words' })).rejects.toMatchObject({ code: 'E_INVALID_ARGS' });
    expect(none.calls).toEqual([]);
  });

  it('prints PDFs rendered by Windows.Data.Pdf to the named or default printer', async () => {
    const ps = powershell({ stdout: JSON.stringify({ printer: 'Office Laser', printed: 2 }) });
    const devices = new WindowsDevices(() => ({ printer: 'Office Laser' }), ps.run);
    expect(await devices.print(letters)).toEqual({ printed: letters.map((f) => f.name), destination: 'Office Laser' });
    const script = decodeScript(ps.calls[0].args);
    expect(script).toBe(PRINT_SCRIPT);
    for (const step of [
      '[Windows.Data.Pdf.PdfDocument]::LoadFromStreamAsync($source)',
      '$page.RenderToStreamAsync($png, $options)',
      "IAsyncOperation`1",
      'New-Object System.Drawing.Printing.PrintDocument',
      '$job.DocumentName = $f.Name',
      '$job.Print()',
    ]) {
      expect(script).toContain(step);
    }
    expect(ps.calls[0].input.split('\n')[0]).toBe(b64('Office Laser'));
    // The default printer is an empty first line.
    const dflt = powershell({ stdout: '{"printer":"HP","printed":2}' });
    await new WindowsDevices(() => ({ printer: '' }), dflt.run).print(letters);
    expect(dflt.calls[0].input.startsWith('\n')).toBe(true);
  });

  it('reads the status: printer, drive and IMAPI2 media state', async () => {
    const ps = powershell(
      { stdout: '{"printer":"HP","burner":"E:\\\\","mediaState":2,"mediaError":null}' },
      { stdout: '{"printer":null,"burner":null,"mediaState":null,"mediaError":null}' },
    );
    const devices = new WindowsDevices(() => ({ printer: '' }), ps.run);
    expect(await devices.status()).toEqual({ printer: true, burner: true, media: 'blank', camera: 'renderer', printerName: 'HP', burnerName: 'E:\\' });
    expect(await devices.status()).toEqual({ printer: false, burner: false, camera: 'renderer' });
    expect(decodeScript(ps.calls[0].args)).toBe(STATUS_SCRIPT);
    expect(STATUS_SCRIPT).toContain('[int](Format $recorder).CurrentMediaStatus');
  });

  it('maps IMAPI_FORMAT2_DATA_MEDIA_STATE', () => {
    expect(mediaFromImapi(0x2, null)).toBe('blank');
    expect(mediaFromImapi(0x4 | 0x1000, null)).toBe('appendable');
    expect(mediaFromImapi(0x1, null)).toBe('appendable'); // rewritable (DVD+RW)
    expect(mediaFromImapi(0x8 | 0x1000, null)).toBe('closed');
    expect(mediaFromImapi(0x4000, null)).toBe('closed');
    expect(mediaFromImapi(0x8000, null)).toBe('unknown');
    expect(mediaFromImapi(null, '0xC0AA0202')).toBe('none'); // E_IMAPI_RECORDER_MEDIA_NO_MEDIA
  });
});
