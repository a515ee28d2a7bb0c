/**
 * Finds an installed Chromium-family browser. Keyward never downloads a browser:
 * the air-gapped desktop already has one (Debian `chromium`, Google Chrome,
 * Microsoft Edge on Windows). Used by `npm start` (app-mode window), the browser
 * tests and PDF letters (puppeteer-core needs an `executablePath`).
 */
import fs from 'node:fs';
import path from 'node:path';

/** What to tell an administrator when no browser is found. */
/**
 * DESIGN.md §8: the flags every headless Keyward browser runs with (PDF letters, tests). The
 * background-networking ones keep an air-gapped machine's Chromium from reaching for the network.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const CHROMIUM_INSTALL_HINT =
  'No Chromium-family browser found. On Debian/Ubuntu: apt-get install -y chromium; ' +
  'on Windows Microsoft Edge is used; or set KEYWARD_BROWSER to the browser executable.';

/** Where Chromium-family browsers are installed on each platform, most preferred first. */
export function chromiumCandidates(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  const explicit = env.KEYWARD_BROWSER ? [env.KEYWARD_BROWSER] : [];
  if (platform === 'win32') {
    const roots = [env['PROGRAMFILES(X86)'], env.PROGRAMFILES, env.LOCALAPPDATA].filter((r): r is string => !!r);
    const rel = [
      ['Microsoft', 'Edge', 'Application', 'msedge.exe'],
      ['Google', 'Chrome', 'Application', 'chrome.exe'],
      ['Chromium', 'Application', 'chrome.exe'],
    ];
    return [...explicit, ...rel.flatMap((parts) => roots.map((root) => path.win32.join(root, ...parts)))];
  }
  if (platform === 'darwin') {
    return [
      ...explicit,
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ];
  }
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'microsoft-edge-stable'];
  const dirs = ['/usr/bin', '/usr/local/bin', '/snap/bin', ...(env.PATH ?? '').split(path.delimiter).filter(Boolean)];
  const seen = new Set<string>();
  const found: string[] = [...explicit];
  for (const name of names) {
    for (const dir of dirs) {
      const file = path.posix.join(dir, name);
      if (!seen.has(file)) {
        seen.add(file);
        found.push(file);
      }
    }
  }
  return found;
}

/** The first installed Chromium-family browser, or undefined when there is none. */
export function findChromium(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return chromiumCandidates(platform, env).find(isExecutable);
}

/** Whether `file` is a regular file this process may run. */
export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, process.platform === 'win32' ? fs.constants.F_OK : fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
