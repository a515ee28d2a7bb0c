/**
 * `npm start`: open Keyward on this desktop. In Electron's main process it opens the
 * Electron window. Otherwise it hands over to Electron when its binary is installed, or
 * serves the web shell and opens an installed Chromium-family browser in app mode (when
 * there is a display), or prints the address with its token (when there is not).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinPlugins } from '../../plugins/index.js';
import { Kernel } from '../kernel/index.js';
import { findChromium } from './chromium.js';
import { resolveDataDir } from './data-dir.js';
import { startWebShell } from './web/server.js';

const START_SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'start.js');

/** A browser that exits sooner than this after launch has passed the window on rather than been closed. */
const HANDOVER_MS = 5000;

const USAGE = `Usage: npm start -- [--data-dir DIR] [--config FILE] [--port N] [--web] [--no-browser]

  --data-dir DIR   where Keyward keeps its data (default: KEYWARD_DATA_DIR, else the per-user app data folder)
  --config FILE    deployment config (default: <data dir>/keyward.config.json)
  --port N         web shell port (default: a random free port)
  --web            use the web shell even when Electron is installed
  --no-browser     do not open a browser; print the address instead`;

export interface StartArgs {
  dataDir?: string;
  config?: string;
  port?: number;
  web: boolean;
  browser: boolean;
}

/** Parse the start options; throws an Error naming the bad option. */
export function parseStartArgs(argv: string[]): StartArgs {
  const out: StartArgs = { web: false, browser: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--data-dir') out.dataDir = value();
    else if (arg === '--config') out.config = path.resolve(value());
    else if (arg === '--port') {
      const v = value();
      const port = Number(v);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: "${v}" is not a port number`);
      out.port = port;
    } else if (arg === '--web') out.web = true;
    else if (arg === '--no-browser') out.browser = false;
    else throw new Error(`Unknown option "${arg}"`);
  }
  return out;
}

/** Run `npm start`; resolves with the exit code once Keyward has stopped (or at once on a usage error). */
export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let args: StartArgs;
  try {
    args = parseStartArgs(argv);
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }

  const electron = args.web || process.versions.electron ? undefined : findElectron();
  if (electron) return runChild(electron, [START_SCRIPT, ...argv]);

  const dataDir = resolveDataDir({ flag: args.dataDir });
  const kernel = await Kernel.create({ dataDir, configFile: args.config, plugins: builtinPlugins });
  if (process.versions.electron) {
    const { runElectronShell } = await import('./electron/main.js');
    await runElectronShell(kernel);
    return new Promise<number>(() => undefined); // Electron quits the process itself
  }
  return runWebShell(kernel, args, dataDir);
}

async function runWebShell(kernel: Kernel, args: StartArgs, dataDir: string): Promise<number> {
  const shell = await startWebShell(kernel, { port: args.port });
  let stopping: Promise<number> | undefined;
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((r) => (resolveExit = r));
  const stop = (why: string) => {
    stopping ??= (async () => {
      console.log(`\nStopping Keyward (${why})…`);
      await shell.close();
      await kernel.stop();
      console.log('Keyward stopped; the data is locked.');
      resolveExit(0);
      return 0;
    })();
    return stopping;
  };
  process.on('SIGINT', () => {
    if (stopping) process.exit(130); // a second Ctrl-C does not wait
    void stop('Ctrl-C');
  });
  process.on('SIGTERM', () => void stop('terminated'));

  console.log(`Keyward is running. Data: ${dataDir}`);
  const browser = args.browser && hasDisplay() ? findChromium() : undefined;
  if (browser) {
    const opened = Date.now();
    openAppWindow(browser, shell.url, () => {
      // A quick exit means the browser handed the window to a process already running: keep serving it.
      if (Date.now() - opened > HANDOVER_MS) void stop('window closed');
      else console.log('The browser handed the window to another process; press Ctrl-C here to stop Keyward.');
    });
    console.log('Opened the Keyward window. Press Ctrl-C here to stop.');
  } else {
    const line = '─'.repeat(Math.min(shell.url.length + 4, 100));
    console.log(`\nOpen this address in a browser on this computer (it carries this session's access token):\n${line}\n  ${shell.url}\n${line}`);
    console.log('Press Ctrl-C to stop Keyward.');
  }
  return exited;
}

/** Linux needs an X11 or Wayland display; Windows and macOS always have one. */
function hasDisplay(): boolean {
  if (process.platform === 'win32' || process.platform === 'darwin') return true;
  return !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/** The browser in app mode with its own profile (so it is a separate process whose exit means "window closed"). */
function openAppWindow(browser: string, url: string, onExit: () => void): void {
  const profile = path.join(os.tmpdir(), `keyward-browser-${os.userInfo().username}`);
  const child = spawn(browser, [`--app=${url}`, `--user-data-dir=${profile}`, '--no-first-run', '--no-default-browser-check'], {
    stdio: 'ignore',
  });
  child.on('error', (err) => console.error(`Could not open ${browser}: ${err.message}\nOpen this address instead: ${url}`));
  child.on('exit', onExit);
}

/** The Electron binary when the optional `electron` package is installed with its binary. */
function findElectron(): string | undefined {
  try {
    // electron's main export (in Node) is the path of its downloaded binary; it throws when the download is missing.
    const binary = createRequire(import.meta.url)('electron') as unknown;
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

function runChild(file: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: 'inherit' });
    child.on('error', (err) => {
      console.error(`Could not start Electron (${file}): ${err.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    // Ctrl-C reaches the child through the terminal; do not die before it has locked the data.
    process.on('SIGINT', () => undefined);
  });
}
