import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, resolveDataDir } from './data-dir.js';

describe('resolveDataDir', () => {
  it('prefers --data-dir, then KEYWARD_DATA_DIR, then the per-user folder', () => {
    const env = { KEYWARD_DATA_DIR: '/srv/kw-env' };
    expect(resolveDataDir({ flag: 'rel/dir', env })).toBe(path.resolve('rel/dir'));
    expect(resolveDataDir({ env })).toBe('/srv/kw-env');
    expect(resolveDataDir({ env: {}, platform: 'linux', home: '/home/ada' })).toBe('/home/ada/.local/share/keyward');
  });

  it('uses the platform conventions', () => {
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'C:\\Users\\ada')).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\Keyward',
    );
    expect(defaultDataDir('darwin', {}, '/Users/ada')).toBe('/Users/ada/Library/Application Support/Keyward');
    expect(defaultDataDir('linux', { XDG_DATA_HOME: '/data/ada' }, '/home/ada')).toBe('/data/ada/keyward');
    // A relative XDG_DATA_HOME is invalid per the XDG spec and ignored.
    expect(defaultDataDir('linux', { XDG_DATA_HOME: 'rel' }, '/home/ada')).toBe('/home/ada/.local/share/keyward');
  });
});
