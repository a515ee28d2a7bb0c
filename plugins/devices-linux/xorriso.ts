/**
 * The xorriso command lines the Linux burner runs, and what it reads from their output.
 * Devices are libburn addresses: a drive (`/dev/sr0`) or an image file (`stdio:/path/x.iso`).
 */
import type { DeviceStatus } from '../devices/tokens.js';

export type MediaState = NonNullable<DeviceStatus['media']>;

/** `-toc` without acquiring for writing: prints "Media status : …". */
export function tocArgs(device: string): string[] {
  return ['-outdev', device, '-toc'];
}

/**
 * Reads the "Media status :" line of `xorriso -toc` (xorriso's Xorriso_toc wording:
 * "is blank", "is written , is appendable", "is written , is closed", "is not present").
 */
export function parseMediaState(output: string): MediaState {
  const line = /^Media status\s*:\s*(.*)$/m.exec(output)?.[1] ?? '';
  if (/is blank/.test(line)) return 'blank';
  if (/is appendable/.test(line)) return 'appendable';
  if (/is closed/.test(line)) return 'closed';
  if (/is not present/.test(line) || /No media detected/.test(output)) return 'none';
  return 'unknown';
}

/**
 * Writes the files of `stageDir` to the top of the medium under volume id `label`, with Rock Ridge
 * (on by default) and Joliet (what Windows reads), readable by whoever mounts it. `-dev` loads an
 * appendable disc's tree first so a new session keeps the old files; `-outdev` starts a fresh image.
 */
export function writeArgs(device: { path: string; append: boolean }, label: string, stageDir: string): string[] {
  return [
    device.append ? '-dev' : '-outdev',
    device.path,
    '-volid',
    label,
    '-joliet',
    'on',
    '-map',
    stageDir,
    '/',
    // The staging folder and its files are private (0700/0600); on the medium they are for whoever holds it.
    '-chmod_r',
    '0444',
    '/',
    '--',
    '-chmod',
    '0555',
    '/',
    '--',
    '-commit',
  ];
}

/** Prints the named files of the medium's last session to standard output, one after another. */
export function readArgs(device: string, names: readonly string[]): string[] {
  // Names are literal: no pattern expansion of "[" in a file name.
  return ['-osirrox', 'on', '-indev', device, '-iso_rr_pattern', 'off', '-concat', 'append', '-', ...names.map((n) => `/${n}`)];
}

/** The optical drives among the entries of `devDir` (`sr0`, `sr1`…), lowest number first. */
export function opticalDrives(devDir: string, entries: readonly string[]): string[] {
  return entries
    .filter((e) => /^sr\d+$/.test(e))
    .sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)))
    .map((e) => `${devDir}/${e}`);
}
