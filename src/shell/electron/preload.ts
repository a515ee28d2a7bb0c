/**
 * Electron preload (sandboxed, bundled to CommonJS by main.ts): exposes only
 * `window.keyward.invoke/cancel` to the renderer. The renderer gets no Node, no
 * ipcRenderer, nothing else.
 */
import type { JsonValue, Progress } from '../../kernel/api.js';
import { IPC_CANCEL, IPC_INVOKE, ipcProgressChannel, type InvokeMessage, type KeywardPreloadApi } from '../protocol.js';

/** The slice of Electron's preload API used here (electron is optional and its types are not installed). */
interface PreloadElectron {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
    on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
    removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
  };
}

const { contextBridge, ipcRenderer } = require('electron') as PreloadElectron;

const api: KeywardPreloadApi = {
  async invoke(command: string, args: JsonValue | undefined, callId: string, onProgress: (p: Progress) => void): Promise<InvokeMessage> {
    const channel = ipcProgressChannel(callId);
    const listener = (_event: unknown, p: unknown) => onProgress(p as Progress);
    ipcRenderer.on(channel, listener);
    try {
      return (await ipcRenderer.invoke(IPC_INVOKE, command, args ?? null, callId)) as InvokeMessage;
    } finally {
      ipcRenderer.removeListener(channel, listener);
    }
  },
  async cancel(callId: string): Promise<void> {
    await ipcRenderer.invoke(IPC_CANCEL, callId);
  },
};

contextBridge.exposeInMainWorld('keyward', api);
