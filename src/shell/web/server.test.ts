import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandError, createTestKernel, definePlugin, type TestKernel } from '../../kernel/index.js';
import { MAX_BODY_BYTES, startWebShell, tokenCookie, type WebShell } from './server.js';

/** What the demo plugin's `demo.wait` saw, so tests can tell a real abort from a timeout. */
const seen = { aborted: 0 };

const demo = definePlugin({
  id: 'demo',
  activate(ctx) {
    ctx.commands.register<{ n: number }, { counted: number }>({
      id: 'demo.count',
      title: 'Count with progress',
      handler: ({ n }, c) => {
        for (let i = 1; i <= n; i++) c.progress({ done: i, total: n, message: `step ${i}` });
        return { counted: n };
      },
    });
    ctx.commands.register({
      id: 'demo.fail',
      title: 'Fail politely',
      handler: () => {
        throw new CommandError('E_DEMO', 'Row 3: the field "name" is empty', { line: 3, field: 'name' });
      },
    });
    ctx.commands.register({
      id: 'demo.crash',
      title: 'Crash with a secret in the message',
      handler: () => {
        throw new Error('passphrase was hunter2-hunter2');
      },
    });
    ctx.commands.register({
      id: 'demo.wait',
      title: 'Wait until cancelled',
      handler: (_args, c) =>
        new Promise<null>((_resolve, reject) => {
          c.progress({ done: 0, total: 1, message: 'waiting' });
          c.signal.addEventListener('abort', () => {
            seen.aborted++;
            reject(new Error('aborted'));
          });
        }),
    });
  },
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Req {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the token as a bearer header (default true). */
  auth?: boolean;
}

let tk: TestKernel;
let shell: WebShell;
let port: number;

/** Raw HTTP, so the tests control every header (Host included). */
function request(r: Req): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Host: `127.0.0.1:${port}`, ...r.headers };
    if (r.auth !== false) headers.Authorization = `Bearer ${shell.token}`;
    const req = http.request({ host: '127.0.0.1', port, method: r.method ?? 'GET', path: r.path ?? '/', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

const postJson = (path: string, body: unknown, extra: Partial<Req> = {}) =>
  request({ method: 'POST', path, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), ...extra });

const lines = (body: string) => body.trim().split('\n').map((l) => JSON.parse(l));

beforeAll(async () => {
  tk = await createTestKernel({ plugins: [demo] });
  shell = await startWebShell(tk.kernel);
  port = Number(new URL(shell.url).port);
});

afterAll(async () => {
  await shell?.close();
  await tk?.cleanup();
});

describe('web shell: access', () => {
  it('listens on 127.0.0.1 at a random port with a fresh 256-bit token per start', async () => {
    expect(shell.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(Buffer.from(shell.token, 'base64url')).toHaveLength(32);
    const other = await startWebShell(tk.kernel);
    try {
      expect(other.token).not.toBe(shell.token);
      expect(other.url).not.toBe(shell.url);
    } finally {
      await other.close();
    }
  });

  const routes: [string, string][] = [
    ['GET', '/'],
    ['GET', '/app.js'],
    ['GET', '/app.css'],
    ['POST', '/api/invoke'],
    ['POST', '/api/cancel'],
    ['GET', '/no-such-page'],
    ['GET', '/__proto__'],
    ['PUT', '/'],
  ];
  it.each(routes)('%s %s without the token is 401', async (method, path) => {
    const reply = await request({ method, path, auth: false, headers: { 'Content-Type': 'application/json' }, body: method === 'POST' ? '{"command":"kernel.status"}' : undefined });
    expect(reply.status).toBe(401);
    expect(reply.body).not.toContain('ready');
  });

  it('refuses a wrong bearer token, a wrong cookie and a wrong ?token=', async () => {
    const wrong = 'A'.repeat(shell.token.length);
    expect((await request({ auth: false, headers: { Authorization: `Bearer ${wrong}` } })).status).toBe(401);
    expect((await request({ auth: false, headers: { Cookie: `${tokenCookie(port)}=${wrong}` } })).status).toBe(401);
    expect((await request({ auth: false, path: `/?token=${wrong}` })).status).toBe(401);
    expect((await request({ auth: false, path: `/app.js?token=${shell.token}` })).status).toBe(401);
  });

  it('trades ?token= for an HttpOnly SameSite=Strict cookie that then opens the page and its script', async () => {
    const signIn = await request({ auth: false, path: `/?token=${shell.token}` });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.location).toBe('/');
    const cookie = signIn.headers['set-cookie']![0]!;
    expect(cookie).toContain(`${tokenCookie(port)}=${shell.token}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const jar = cookie.split(';')[0]!;

    const page = await request({ auth: false, headers: { Cookie: jar } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<kw-app>');
    const script = await request({ auth: false, path: '/app.js', headers: { Cookie: `other=1; ${jar}` } });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    expect(script.body).toContain('kw-wizard');
  });

  it('refuses Host headers other than 127.0.0.1:<port> and localhost:<port>, even with the token (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, '127.0.0.1', `127.0.0.1:${port + 1}`, `localhost.evil.example:${port}`]) {
      expect((await request({ headers: { Host: host } })).status, host).toBe(403);
    }
    expect((await request({ headers: { Host: `localhost:${port}` } })).status).toBe(200);
  });

  it('refuses cross-origin requests carrying the cookie', async () => {
    const reply = await postJson('/api/invoke', { command: 'kernel.status' }, { headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' } });
    expect(reply.status).toBe(403);
  });

  it('sends the security headers on every answer, refusals included', async () => {
    for (const reply of [await request({}), await request({ auth: false })]) {
      expect(reply.headers['content-security-policy']).toContain("default-src 'self'");
      expect(reply.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(reply.headers['x-frame-options']).toBe('DENY');
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
    }
  });
});

describe('web shell: request checks', () => {
  it('refuses other methods with 405 and names the allowed one', async () => {
    const put = await request({ method: 'PUT', path: '/' });
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET');
    expect((await request({ method: 'GET', path: '/api/invoke' })).status).toBe(405);
    expect((await request({ method: 'DELETE', path: '/api/cancel' })).status).toBe(405);
    expect((await request({ path: '/__proto__' })).status).toBe(404);
  });

  it('refuses non-JSON bodies, malformed JSON and a missing command', async () => {
    const text = await request({ method: 'POST', path: '/api/invoke', headers: { 'Content-Type': 'text/plain' }, body: '{"command":"kernel.status"}' });
    expect(text.status).toBe(415);
    const form = await request({ method: 'POST', path: '/api/invoke', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'command=kernel.status' });
    expect(form.status).toBe(415);
    const bad = await request({ method: 'POST', path: '/api/invoke', headers: { 'Content-Type': 'application/json' }, body: '{"command":' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('not valid JSON');
    expect((await postJson('/api/invoke', { args: {} })).status).toBe(400);
    expect((await postJson('/api/invoke', [1, 2])).status).toBe(400);
  });

  it('refuses an oversize body with 413, whether declared or streamed', async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20);
    const declared = await request({ method: 'POST', path: '/api/invoke', headers: { 'Content-Type': 'application/json' }, body: big });
    expect(declared.status).toBe(413);
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/invoke',
          headers: { Host: `127.0.0.1:${port}`, Authorization: `Bearer ${shell.token}`, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i * chunk.length <= MAX_BODY_BYTES; i++) req.write(chunk);
      req.end();
    });
    expect(streamed).toBe(413);
    // The server still answers afterwards.
    expect((await postJson('/api/invoke', { command: 'kernel.status' })).status).toBe(200);
  });
});

describe('web shell: the invoke bridge', () => {
  it('streams a result as NDJSON', async () => {
    const reply = await postJson('/api/invoke', { command: 'kernel.status', args: null });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toContain('application/x-ndjson');
    const [only, ...rest] = lines(reply.body);
    expect(rest).toEqual([]);
    expect(only.result.state).toBe('ready');
  });

  it('streams progress lines before the result', async () => {
    const reply = await postJson('/api/invoke', { command: 'demo.count', args: { n: 3 }, callId: 'count-1' });
    expect(lines(reply.body)).toEqual([
      { progress: { done: 1, total: 3, message: 'step 1' } },
      { progress: { done: 2, total: 3, message: 'step 2' } },
      { progress: { done: 3, total: 3, message: 'step 3' } },
      { result: { counted: 3 } },
    ]);
  });

  it('returns a command error as {code, message, details}', async () => {
    const reply = await postJson('/api/invoke', { command: 'demo.fail' });
    expect(reply.status).toBe(200);
    expect(lines(reply.body)).toEqual([{ error: { code: 'E_DEMO', message: 'Row 3: the field "name" is empty', details: { line: 3, field: 'name' } } }]);
    const unknown = lines((await postJson('/api/invoke', { command: 'nope.nothing' })).body);
    expect(unknown[0].error.code).toBe('E_UNKNOWN_COMMAND');
  });

  it('does not echo an internal error that may hold a secret', async () => {
    const reply = await postJson('/api/invoke', { command: 'demo.crash' });
    const [line] = lines(reply.body);
    expect(line.error.code).toBe('E_INTERNAL');
    expect(reply.body).not.toContain('hunter2');
  });

  it('records UI commands in the event log as the admin', async () => {
    await postJson('/api/invoke', { command: 'demo.count', args: { n: 1 } });
    const { records } = await tk.kernel.log.list({ action: 'demo.count' });
    expect(records.at(-1)!.actor).toBe('admin');
  });

  it('cancels a running call by its callId', async () => {
    const before = seen.aborted;
    const running = startStreaming({ command: 'demo.wait', callId: 'wait-1' });
    await running.firstLine;
    const dup = await postJson('/api/invoke', { command: 'demo.wait', callId: 'wait-1' });
    expect(dup.status).toBe(409);
    const cancel = await postJson('/api/cancel', { callId: 'wait-1' });
    expect(JSON.parse(cancel.body)).toEqual({ cancelled: true });
    const all = lines(await running.done);
    expect(all[0]).toEqual({ progress: { done: 0, total: 1, message: 'waiting' } });
    expect(all.at(-1).error.code).toBe('E_CANCELLED');
    expect(seen.aborted).toBe(before + 1);
    // Finished calls are forgotten.
    expect(JSON.parse((await postJson('/api/cancel', { callId: 'wait-1' })).body)).toEqual({ cancelled: false });
    expect((await postJson('/api/cancel', {})).status).toBe(400);
  });

  it('aborts a call whose page went away (connection closed)', async () => {
    const before = seen.aborted;
    const running = startStreaming({ command: 'demo.wait', callId: 'wait-2' });
    await running.firstLine;
    running.destroy();
    await expect.poll(() => seen.aborted, { timeout: 5000 }).toBe(before + 1);
  });
});

/** Start an invoke and hand back its first NDJSON line, the whole body, and a way to hang up. */
function startStreaming(body: unknown) {
  let req!: http.ClientRequest;
  let resolveFirst!: () => void;
  const firstLine = new Promise<void>((r) => (resolveFirst = r));
  const done = new Promise<string>((resolve, reject) => {
    req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/invoke',
        headers: { Host: `127.0.0.1:${port}`, Authorization: `Bearer ${shell.token}`, 'Content-Type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString('utf8');
          if (text.includes('\n')) resolveFirst();
        });
        res.on('end', () => resolve(text));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
  done.catch(() => undefined);
  return { firstLine, done, destroy: () => req.destroy() };
}
