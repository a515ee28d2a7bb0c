/** How devices-windows starts Windows PowerShell and feeds it. */
import type { DeviceFile } from '../devices/tokens.js';

/** Windows PowerShell 5.1: the one that ships with Windows 10/11 and still loads WinRT types (pwsh 7 does not). */
export const POWERSHELL = 'powershell.exe';

/**
 * Arguments that run `script` without profiles or prompts. The script goes in -EncodedCommand
 * (Base64 of UTF-16LE, so no quoting rules apply); the data goes on standard input.
 */
export function powershellArgs(script: string): string[] {
  return ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')];
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** The scripts' standard input: the header fields (Base64 of UTF-8 unless `plain`), then one `name<TAB>data` line per file. */
export function scriptInput(header: { text: string; plain?: boolean }, files: readonly DeviceFile[] = []): string {
  const lines = [header.plain ? header.text : b64(header.text), ...files.map((f) => `${b64(f.name)}\t${Buffer.from(f.data).toString('base64')}`)];
  return `${lines.join('\n')}\n`;
}
