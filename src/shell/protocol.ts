/**
 * The wire protocol between the renderer and a shell: the same messages travel as
 * NDJSON lines over the web shell's POST /api/invoke and as IPC replies in Electron.
 */
import type { CommandErrorInfo, JsonValue, Progress } from '../kernel/api.js';

/** One message of a call: any number of progress messages, then exactly one result or error. */
export type InvokeMessage = { progress: Progress } | { result: JsonValue } | { error: CommandErrorInfo };

/** What the Electron preload exposes to the renderer as `window.keyward`. */
export interface KeywardPreloadApi {
  /** Resolves with the final message (result or error); progress goes to onProgress. */
  invoke(command: string, args: JsonValue | undefined, callId: string, onProgress: (p: Progress) => void): Promise<InvokeMessage>;
  cancel(callId: string): Promise<void>;
}

/** IPC channel names (Electron). Progress of one call goes to its own channel. */
export const IPC_INVOKE = 'keyward:invoke';
export const IPC_CANCEL = 'keyward:cancel';
export const ipcProgressChannel = (callId: string): string => `keyward:progress:${callId}`;

/** Reduce anything a command call threw to `{code, message, details}`, never echoing unknown errors (they may hold secrets). */
export function toErrorInfo(err: unknown): CommandErrorInfo {
  const e = err as { code?: unknown; message?: unknown; details?: unknown; toJSON?: () => unknown } | null;
  if (e && typeof e.code === 'string' && /^E_[A-Z0-9_]+$/.test(e.code) && typeof e.message === 'string') {
    const info: CommandErrorInfo = { code: e.code, message: e.message };
    if (e.details !== undefined) info.details = JSON.parse(JSON.stringify(e.details));
    return info;
  }
  return { code: 'E_INTERNAL', message: 'Internal error.' };
}
