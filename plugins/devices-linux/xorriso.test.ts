import { describe, expect, it } from 'vitest';
import { opticalDrives, parseMediaState, readArgs, tocArgs, writeArgs } from './xorriso.js';

// "Media status" lines as xorriso prints them: an image file (captured here) and drives (empty tray, closed disc).
const IMAGE_BLANK = "Drive current: -outdev 'stdio:/tmp/new.iso'\nMedia current: stdio file, overwriteable\nMedia status : is blank\nMedia blocks : 0 readable\n";
const IMAGE_WRITTEN = 'Media current: stdio file, overwriteable\nMedia status : is written , is appendable\nMedia summary: 1 session, 77 data blocks\n';
const EMPTY_TRAY = "xorriso : NOTE : Disc status unsuitable for writing\nDrive current: -outdev '/dev/sr0'\nMedia current: is not recognizable\nMedia status : is not present\n";
const CLOSED = 'Media current: CD-R\nMedia status : is written , is closed\n';

describe('xorriso output and command lines', () => {
  it('reads the media state', () => {
    expect(parseMediaState(IMAGE_BLANK)).toBe('blank');
    expect(parseMediaState(IMAGE_WRITTEN)).toBe('appendable');
    expect(parseMediaState(EMPTY_TRAY)).toBe('none');
    expect(parseMediaState(CLOSED)).toBe('closed');
    expect(parseMediaState('xorriso : FAILURE : Cannot acquire drive')).toBe('unknown');
  });

  it('finds optical drives in /dev, lowest first', () => {
    expect(opticalDrives('/dev', ['sda', 'sr10', 'sr1', 'sg0', 'srx', 'sr0'])).toEqual(['/dev/sr0', '/dev/sr1', '/dev/sr10']);
    expect(opticalDrives('/dev', ['sda'])).toEqual([]);
  });

  it('builds the commands', () => {
    expect(tocArgs('/dev/sr0')).toEqual(['-outdev', '/dev/sr0', '-toc']);
    expect(writeArgs({ path: '/dev/sr0', append: true }, 'KW_2026-11', '/dev/shm/keyward-burn-x')).toEqual([
      '-dev', '/dev/sr0', '-volid', 'KW_2026-11', '-joliet', 'on', '-map', '/dev/shm/keyward-burn-x', '/',
      '-chmod_r', '0444', '/', '--', '-chmod', '0555', '/', '--', '-commit',
    ]);
    expect(writeArgs({ path: 'stdio:/x/K.iso', append: false }, 'K', '/s').slice(0, 2)).toEqual(['-outdev', 'stdio:/x/K.iso']);
    expect(readArgs('stdio:/x/K.iso', ['a [1].pdf', 'b.pdf'])).toEqual([
      '-osirrox', 'on', '-indev', 'stdio:/x/K.iso', '-iso_rr_pattern', 'off', '-concat', 'append', '-', '/a [1].pdf', '/b.pdf',
    ]);
  });
});
