/**
 * Electron main process, kept thin: one window that loads the same renderer bundle as the
 * web shell, locked down (context isolation, sandbox, no Node in the renderer, no
 * navigation, no new windows), and the `invoke` bridge over IPC to the kernel's commands.
 * Electron is an optional dependency: this file type-checks and imports without it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import type { JsonValue } from '../../kernel/api.js';
import type { Kernel } from '../../kernel/index.js';
import { IPC_CANCEL, IPC_INVOKE, ipcProgressChannel, toErrorInfo, type InvokeMessage } from '../protocol.js';
import { buildUiBundle, cacheDir } from '../web/bundle.js';

/** The slice of Electron's main-process API used here. */
interface IpcEvent {
  sender: { send(channel: string, ...args: unknown[]): void };
  senderFrame: { url: string } | null;
}
interface WebContents {
  on(event: 'will-navigate', listener: (e: { preventDefault(): void }) => void): void;
  setWindowOpenHandler(handler: () => { action: 'deny' }): void;
}
interface BrowserWindowInstance {
  webContents: WebContents;
  loadFile(file: string): Promise<void>;
}
interface MainElectron {
  app: { whenReady(): Promise<void>; on(event: 'window-all-closed', listener: () => void): void; quit(): void };
  BrowserWindow: new (opts: object) => BrowserWindowInstance;
  ipcMain: { handle(channel: string, listener: (event: IpcEvent, ...args: unknown[]) => unknown): void };
  session: { defaultSession: { setPermissionRequestHandler(h: (wc: unknown, permission: string, cb: (ok: boolean) => void) => void): void } };
}

const PRELOAD_SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'preload.ts');

/** Open the Keyward window on `kernel`; the kernel is stopped when the last window closes. */
export async function runElectronShell(kernel: Kernel): Promise<void> {
  // A computed specifier keeps TypeScript from looking for electron's (absent) types.
  const mod = (await import('electron' as string)) as MainElectron & { default?: MainElectron };
  const { app, BrowserWindow, ipcMain, session } = mod.default ?? mod;
  const [ui, preload] = await Promise.all([buildUiBundle(), buildPreload()]);
  const pageUrl = pathToFileURL(path.join(ui.dir, 'index.html')).href;
  await app.whenReady();

  // Only the camera (QR scanning of peer certificates) may be asked for.
  session.defaultSession.setPermissionRequestHandler((_wc, permission, cb) => cb(permission === 'media'));

  const calls = new Map<string, AbortController>();
  ipcMain.handle(IPC_INVOKE, async (event, command, args, callId): Promise<InvokeMessage> => {
    // Answer only our own page.
    if (!event.senderFrame || !event.senderFrame.url.startsWith(pageUrl)) return { error: { code: 'E_FORBIDDEN', message: 'Not the Keyward page.' } };
    if (typeof command !== 'string' || typeof callId !== 'string') return { error: { code: 'E_INVALID_ARGS', message: 'Malformed call.' } };
    const controller = new AbortController();
    calls.set(callId, controller);
    try {
      const result = await kernel.commands.execute(command, (args ?? undefined) as JsonValue | undefined, {
        actor: 'admin',
        signal: controller.signal,
        onProgress: (p) => event.sender.send(ipcProgressChannel(callId), p),
      });
      return { result: (result ?? null) as JsonValue };
    } catch (err) {
      return { error: toErrorInfo(err) };
    } finally {
      calls.delete(callId);
    }
  });
  ipcMain.handle(IPC_CANCEL, (_event, callId) => {
    if (typeof callId === 'string') calls.get(callId)?.abort();
  });

  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'Keyward',
    webPreferences: { preload, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  app.on('window-all-closed', () => {
    for (const c of calls.values()) c.abort();
    void kernel.stop().finally(() => app.quit());
  });
  await win.loadFile(path.join(ui.dir, 'index.html'));
}

/** Sandboxed preloads must be one CommonJS file: bundle preload.ts (and the protocol it uses). */
async function buildPreload(): Promise<string> {
  const outfile = path.join(cacheDir(), 'electron', 'preload.cjs');
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  await esbuild.build({
    entryPoints: [PRELOAD_SOURCE],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['electron'],
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}
