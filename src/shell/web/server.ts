/**
 * The web shell: serves the UI on 127.0.0.1 only and bridges it to the kernel's command
 * registry through one endpoint. Any local process (or a web page the administrator
 * visits) can reach a loopback port, so every request must carry the per-start token,
 * the Host header must name this server (DNS rebinding) and cross-site requests are refused.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonValue } from '../../kernel/api.js';
import type { Kernel } from '../../kernel/index.js';
import { toErrorInfo, type InvokeMessage } from '../protocol.js';
import { buildUiBundle, CONTENT_SECURITY_POLICY, type BundleOptions, type UiBundle } from './bundle.js';

export interface WebShellOptions extends BundleOptions {
  /** TCP port; default 0 = a random free port. The host is always 127.0.0.1. */
  port?: number;
  /** Actor recorded in the event log for commands run from the UI. */
  actor?: string;
}

export interface WebShell {
  /** The address to open, carrying the token (`http://127.0.0.1:<port>/?token=…`). */
  url: string;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
/** Name of the session cookie holding the token. Cookies ignore ports, so the port is in the name: two shells do not clobber each other. */
export const tokenCookie = (port: number): string => `keyward_token_${port}`;
/** Request bodies are small JSON documents; larger uploads (imports) arrive as base64 well under this. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** 256 bits of token, as asked of a bearer secret. */
const TOKEN_BYTES = 32;

const CONTENT_TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/** Start the web shell; resolves once it listens. */
export async function startWebShell(kernel: Kernel, opts: WebShellOptions = {}): Promise<WebShell> {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  const bundle = { root: opts.root, extraEntries: opts.extraEntries };
  const actor = opts.actor ?? 'admin';
  const calls = new Map<string, AbortController>();
  let port = 0;

  const server = http.createServer((req, res) => {
    setSecurityHeaders(res);
    handle(req, res).catch((err) => {
      if (!res.headersSent) send(res, 500, 'Internal error.');
      else res.destroy(err instanceof Error ? err : undefined);
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!hostAllowed(req.headers.host, port)) return send(res, 403, 'Forbidden: unexpected Host header.');
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);

    // Opening the page with ?token= trades the token for an HttpOnly cookie and drops it from the address bar.
    if (req.method === 'GET' && url.pathname === '/' && url.searchParams.has('token')) {
      if (!sameToken(url.searchParams.get('token') ?? '', token)) return send(res, 401, 'Unauthorised: wrong token.');
      res.setHeader('Set-Cookie', `${tokenCookie(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      res.setHeader('Location', '/');
      return send(res, 303, 'Signed in.');
    }
    if (!authorised(req, token, tokenCookie(port))) return send(res, 401, 'Unauthorised: open the address printed when Keyward started.');
    if (!originAllowed(req.headers.origin, port)) return send(res, 403, 'Forbidden: cross-origin request.');

    const route = ROUTES.get(url.pathname);
    if (!route) return send(res, 404, 'Not found.');
    if (req.method !== route.method) {
      res.setHeader('Allow', route.method);
      return send(res, 405, 'Method not allowed.');
    }
    if (route.method === 'GET') return serveFile(res, route.file!, await buildUiBundle(bundle));

    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return send(res, 415, 'Unsupported media type: send application/json.');
    const body = await readJson(req, res);
    if (body === undefined) return;
    if (url.pathname === '/api/invoke') return invoke(body, res);
    return cancel(body, res);
  }

  async function invoke(body: JsonValue, res: http.ServerResponse): Promise<void> {
    const call = asObject(body);
    const command = call?.command;
    const callId = call?.callId ?? null;
    if (typeof command !== 'string' || command === '') return send(res, 400, 'Bad request: "command" must be a non-empty string.');
    if (callId !== null && (typeof callId !== 'string' || callId.length > 100)) return send(res, 400, 'Bad request: "callId" must be a string.');
    if (callId !== null && calls.has(callId)) return send(res, 409, 'Conflict: a call with this callId is running.');

    const controller = new AbortController();
    if (callId !== null) calls.set(callId, controller);
    // The page going away (closed tab, reload) cancels its calls.
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8' });
    const write = (m: InvokeMessage) => {
      if (!res.writableEnded && !res.destroyed) res.write(JSON.stringify(m) + '\n');
    };
    try {
      // JSON has no undefined: a null or absent args means "no arguments".
      const result = await kernel.commands.execute(command, call!.args ?? undefined, {
        actor,
        signal: controller.signal,
        onProgress: (progress) => write({ progress }),
      });
      write({ result: (result ?? null) as JsonValue });
    } catch (err) {
      write({ error: toErrorInfo(err) });
    } finally {
      if (callId !== null) calls.delete(callId);
      res.end();
    }
  }

  function cancel(body: JsonValue, res: http.ServerResponse): void {
    const callId = asObject(body)?.callId;
    if (typeof callId !== 'string') return send(res, 400, 'Bad request: "callId" must be a string.');
    const controller = calls.get(callId);
    controller?.abort();
    sendJson(res, 200, { cancelled: controller !== undefined });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    token,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const c of calls.values()) c.abort();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const ROUTES = new Map<string, { method: 'GET' | 'POST'; file?: string }>([
  ['/', { method: 'GET', file: 'index.html' }],
  ['/app.js', { method: 'GET', file: 'app.js' }],
  ['/app.css', { method: 'GET', file: 'app.css' }],
  ['/api/invoke', { method: 'POST' }],
  ['/api/cancel', { method: 'POST' }],
]);

function setSecurityHeaders(res: http.ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
}

/** Only our own names: a DNS-rebound hostname pointing at 127.0.0.1 carries its own name here. */
function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `${HOST}:${port}` || host === `localhost:${port}`;
}

/** Browsers send Origin on cross-site POSTs; same-origin pages send ours or nothing. */
function originAllowed(origin: string | undefined, port: number): boolean {
  return origin === undefined || origin === `http://${HOST}:${port}` || origin === `http://localhost:${port}`;
}

function authorised(req: http.IncomingMessage, token: string, cookieName: string): boolean {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') && sameToken(auth.slice('Bearer '.length).trim(), token)) return true;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === cookieName && sameToken(part.slice(eq + 1).trim(), token)) return true;
  }
  return false;
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from timings. */
function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function serveFile(res: http.ServerResponse, name: string, bundle: UiBundle): void {
  const data = bundle.files.get(name);
  if (!data) return send(res, 404, 'Not found.');
  res.writeHead(200, { 'Content-Type': CONTENT_TYPES[name] ?? 'application/octet-stream', 'Content-Length': data.length });
  res.end(data);
}

/** Read and parse a JSON body; answers 413/400 itself and resolves undefined when the body is refused. */
function readJson(req: http.IncomingMessage, res: http.ServerResponse): Promise<JsonValue | undefined> {
  const tooLarge = () => {
    // Answer, then drop the connection rather than read the rest of an oversize upload.
    res.on('finish', () => req.socket.destroy());
    send(res, 413, `Payload too large: at most ${MAX_BODY_BYTES} bytes.`, true);
  };
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
    tooLarge();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      req.off('data', onData);
      req.off('end', onEnd);
      req.pause();
      tooLarge();
      resolve(undefined);
    };
    const onEnd = () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonValue);
      } catch {
        send(res, 400, 'Bad request: the body is not valid JSON.');
        resolve(undefined);
      }
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}

function asObject(v: JsonValue): { [key: string]: JsonValue } | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

function send(res: http.ServerResponse, status: number, text: string, closeConnection = false): void {
  if (closeConnection) res.setHeader('Connection', 'close');
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text + '\n');
}

function sendJson(res: http.ServerResponse, status: number, body: JsonValue): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
