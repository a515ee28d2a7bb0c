import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseStartArgs } from './start.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyward-start-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('npm start options', () => {
  it('reads the data dir, config, port and switches', () => {
    expect(parseStartArgs([])).toEqual({ web: false, browser: true });
    expect(parseStartArgs(['--data-dir', 'd', '--config', '/c.json', '--port', '8080', '--web', '--no-browser'])).toEqual({
      dataDir: 'd',
      config: '/c.json',
      port: 8080,
      web: true,
      browser: false,
    });
  });

  it('names the bad option', () => {
    expect(() => parseStartArgs(['--port', '70000'])).toThrow('--port: "70000" is not a port number');
    expect(() => parseStartArgs(['--data-dir'])).toThrow('--data-dir needs a value');
    expect(() => parseStartArgs(['--data-dir', '--web'])).toThrow('--data-dir needs a value');
    expect(() => parseStartArgs(['--colour'])).toThrow('Unknown option "--colour"');
  });
});

describe('npm start without a display', () => {
  it('serves the UI, prints the address with its token, and stops cleanly on Ctrl-C', async () => {
    const dataDir = path.join(tmp, 'data');
    const child = spawn(process.execPath, ['bin/start.js', '--web', '--data-dir', dataDir], {
      cwd: path.resolve(import.meta.dirname, '..', '..'),
      env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => out, { timeout: 30_000, interval: 100 }).toMatch(/http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/);
      expect(out).toContain(`Data: ${dataDir}`);
      const url = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/)![0];
      const signIn = await fetch(url, { redirect: 'manual' });
      expect(signIn.status).toBe(303);
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
      const page = await fetch(new URL('/', url), { headers: { Cookie: cookie } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<kw-app>');
      expect((await fetch(new URL('/', url))).status).toBe(401);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(out).toContain('Keyward stopped');
  });
});
