import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumCandidates, findChromium } from './chromium.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyward-chromium-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('finding a Chromium-family browser', () => {
  it('looks for Debian chromium first on Linux, then Chrome and Edge, also along PATH', () => {
    const list = chromiumCandidates('linux', { PATH: '/opt/browsers/bin' });
    expect(list[0]).toBe('/usr/bin/chromium');
    expect(list).toContain('/usr/bin/chromium-browser');
    expect(list).toContain('/usr/bin/google-chrome');
    expect(list).toContain('/opt/browsers/bin/chromium');
    expect(new Set(list).size).toBe(list.length);
  });

  it('looks for Microsoft Edge first on Windows', () => {
    const list = chromiumCandidates('win32', { 'PROGRAMFILES(X86)': 'C:\\Program Files (x86)', PROGRAMFILES: 'C:\\Program Files' });
    expect(list[0]).toBe('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe');
    expect(list).toContain('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
  });

  it('prefers KEYWARD_BROWSER and returns only executables that exist', () => {
    const browser = path.join(tmp, 'my-browser');
    fs.writeFileSync(browser, '#!/bin/sh\n', { mode: 0o755 });
    expect(findChromium('linux', { KEYWARD_BROWSER: browser, PATH: '' })).toBe(browser);
    const notExecutable = path.join(tmp, 'plain-file');
    fs.writeFileSync(notExecutable, '', { mode: 0o644 });
    expect(findChromium('linux', { KEYWARD_BROWSER: notExecutable, PATH: '' })).not.toBe(notExecutable);
    expect(chromiumCandidates('darwin', { KEYWARD_BROWSER: browser })[0]).toBe(browser);
  });
});
