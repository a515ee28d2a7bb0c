/**
 * The single way the renderer reaches the kernel: `invoke(command, args, {onProgress, signal})`.
 * In Electron the preload provides `window.keyward` (IPC); in a browser the loopback web
 * shell's POST /api/invoke is used (NDJSON stream). Every call is announced as a
 * `kw-activity` window event so the shell can show progress bars and a Cancel button.
 */
import type { CommandErrorInfo, JsonValue, Progress } from '../../kernel/api.js';
import type { InvokeMessage, KeywardPreloadApi } from '../protocol.js';

declare global {
  interface Window {
    keyward?: KeywardPreloadApi;
  }
}

export interface InvokeOptions {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

/** A command failure as the kernel reported it (`code` such as `E_INVALID_ARGS`). */
export class InvokeError extends Error implements CommandErrorInfo {
  readonly code: string;
  readonly details?: JsonValue;
  constructor(info: CommandErrorInfo) {
    super(info.message);
    this.name = 'InvokeError';
    this.code = info.code;
    this.details = info.details;
  }
}

/** Detail of the `kw-activity` window event. */
export interface ActivityDetail {
  callId: string;
  command: string;
  phase: 'start' | 'progress' | 'end';
  progress?: Progress;
}

const running = new Map<string, AbortController>();

/** Cancel a running call (the kernel answers it with `E_CANCELLED`). */
export function cancelCall(callId: string): void {
  running.get(callId)?.abort();
}

/** Run a kernel command and return its result; throws InvokeError on failure. */
export async function invoke<R = JsonValue>(command: string, args?: JsonValue, opts: InvokeOptions = {}): Promise<R> {
  const callId = crypto.randomUUID();
  const controller = new AbortController();
  const onCallerAbort = () => controller.abort();
  if (opts.signal?.aborted) controller.abort();
  opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
  running.set(callId, controller);
  announce({ callId, command, phase: 'start' });
  const onProgress = (progress: Progress) => {
    announce({ callId, command, phase: 'progress', progress });
    opts.onProgress?.(progress);
  };
  try {
    const message = window.keyward
      ? await viaPreload(window.keyward, command, args, callId, controller.signal, onProgress)
      : await viaHttp(command, args, callId, controller.signal, onProgress);
    if ('error' in message) throw new InvokeError(message.error);
    if ('result' in message) return message.result as R;
    throw new InvokeError({ code: 'E_BRIDGE', message: 'The command ended without a result.' });
  } finally {
    opts.signal?.removeEventListener('abort', onCallerAbort);
    running.delete(callId);
    announce({ callId, command, phase: 'end' });
  }
}

function announce(detail: ActivityDetail): void {
  window.dispatchEvent(new CustomEvent<ActivityDetail>('kw-activity', { detail }));
}

async function viaPreload(
  api: KeywardPreloadApi,
  command: string,
  args: JsonValue | undefined,
  callId: string,
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
): Promise<InvokeMessage> {
  const onAbort = () => void api.cancel(callId);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await api.invoke(command, args, callId, onProgress);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

async function viaHttp(
  command: string,
  args: JsonValue | undefined,
  callId: string,
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
): Promise<InvokeMessage> {
  // The session cookie (set when the page was opened with ?token=) authenticates these requests.
  const post = (path: string, body: unknown) =>
    fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
  if (signal.aborted) return { error: { code: 'E_CANCELLED', message: 'Cancelled.' } };
  const onAbort = () => void post('/api/cancel', { callId }).catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await post('/api/invoke', { command, args: args ?? null, callId });
    if (!response.ok || !response.body) throw httpError(response.status, await response.text());
    let final: InvokeMessage | undefined;
    for await (const line of ndjsonLines(response.body)) {
      const message = JSON.parse(line) as InvokeMessage;
      if ('progress' in message) onProgress(message.progress);
      else final = message;
    }
    if (!final) throw new InvokeError({ code: 'E_BRIDGE', message: 'The connection to Keyward closed before the command finished.' });
    return final;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function httpError(status: number, text: string): InvokeError {
  if (status === 401) {
    return new InvokeError({
      code: 'E_UNAUTHORISED',
      message: 'This page is not signed in to Keyward. Open the address printed when Keyward started (it carries the access token).',
    });
  }
  return new InvokeError({ code: `E_HTTP_${status}`, message: text.trim() || `The Keyward server answered ${status}.` });
}

async function* ndjsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line) yield line;
    }
  }
  if (buffered.trim()) yield buffered.trim();
}
