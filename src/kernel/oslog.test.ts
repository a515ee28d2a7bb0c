import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventLog } from './eventlog.js';
import { OS_LOG_TAG, OsLog, osLogCommand } from './oslog.js';
import { Vault } from './vault.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kw-oslog-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A stand-in syslog daemon on a Unix socket: the real `logger` connects to it exactly as it does to
 * /dev/log (util-linux logger falls back to a stream socket), so the whole path runs for real.
 */
async function syslogDaemon(): Promise<{ socket: string; messages: string[]; close(): Promise<void> }> {
  const socket = path.join(dir, 'syslog.sock');
  const messages: string[] = [];
  const server = net.createServer((conn) => {
    let buf = '';
    conn.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      const parts = buf.split('\n');
      buf = parts.pop()!;
      messages.push(...parts);
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return { socket, messages, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('osLogCommand', () => {
  it('Linux: util-linux logger with tag, errors reported, optional socket, message after "--"', () => {
    expect(osLogCommand('2026-01-01T00:00:00.000Z admin users.add Alice', { platform: 'linux' })).toEqual({
      file: 'logger',
      args: ['--socket-errors=on', '-t', 'keyward', '-p', 'user.notice', '--', '2026-01-01T00:00:00.000Z admin users.add Alice'],
    });
    expect(osLogCommand('-x', { platform: 'linux', socket: '/run/s' }).args.slice(-4)).toEqual(['-u', '/run/s', '--', '-x']);
  });

  it('macOS: plain logger; Windows: eventcreate into the Application log with source keyward', () => {
    expect(osLogCommand('a b', { platform: 'darwin' })).toEqual({ file: 'logger', args: ['-t', 'keyward', '-p', 'user.notice', '--', 'a b'] });
    expect(osLogCommand('a b', { platform: 'win32' })).toEqual({
      file: 'eventcreate',
      args: ['/L', 'APPLICATION', '/T', 'INFORMATION', '/SO', 'keyward', '/ID', '1', '/D', 'a b'],
    });
  });

  it('flattens control characters so one entry stays one line, and caps the length', () => {
    const msg = (line: string) => osLogCommand(line, { platform: 'linux' }).args.at(-1)!;
    expect(msg('a\nfake entry\r\tb\u0000c')).toBe('a fake entry b c');
    expect(msg('x'.repeat(5000))).toHaveLength(1000);
  });
});

describe('OsLog (real logger on Linux)', () => {
  it('delivers entries in order to the syslog socket with the keyward tag', async () => {
    const daemon = await syslogDaemon();
    try {
      const sink = new OsLog({ socket: daemon.socket });
      for (let i = 1; i <= 3; i++) sink.write(`entry ${i}`);
      await sink.idle();
      expect(sink.stats).toEqual({ sent: 3, failed: 0, dropped: 0 });
      // logger exits once it has written; the daemon may read the last bytes a moment later.
      await vi.waitFor(() => expect(daemon.messages).toHaveLength(3));
      daemon.messages.forEach((m, i) => expect(m).toMatch(new RegExp(`^<13>.* ${OS_LOG_TAG}: entry ${i + 1}$`)));
    } finally {
      await daemon.close();
    }
  });

  it('the system syslog path: attempted once, never throws, failure counted when no daemon listens', async () => {
    const sink = new OsLog();
    expect(() => sink.write('keyward oslog test entry')).not.toThrow();
    await sink.idle();
    const stats = sink.stats;
    if (existsSync('/dev/log')) {
      expect(stats).toEqual({ sent: 1, failed: 0, dropped: 0 });
    } else {
      expect(stats).toMatchObject({ sent: 0, failed: 1 });
      expect(stats.lastError).toMatch(/\/dev\/log/);
    }
  });

  it('a missing helper program or a dead socket is counted as failed, not thrown', async () => {
    const noHelper = new OsLog({ platform: 'win32' }); // eventcreate does not exist here
    noHelper.write('x');
    const deadSocket = new OsLog({ socket: path.join(dir, 'nobody-listens.sock') });
    deadSocket.write('x');
    await Promise.all([noHelper.idle(), deadSocket.idle()]);
    expect(noHelper.stats).toMatchObject({ sent: 0, failed: 1, lastError: expect.stringMatching(/eventcreate/) });
    expect(deadSocket.stats).toMatchObject({ sent: 0, failed: 1, lastError: expect.stringMatching(/nobody-listens/) });
  });
});

describe('EventLog.setOsSink', () => {
  it('forwards "time actor action target" only while on', async () => {
    const daemon = await syslogDaemon();
    try {
      const vault = await Vault.create(dir, 'correct horse battery staple', { insecureTestKdf: true });
      const osLog = new OsLog({ socket: daemon.socket });
      const log = new EventLog(dir, vault, { osLog });
      expect(log.osSinkEnabled).toBe(false);
      await log.record({ actor: 'admin', action: 'users.add', target: 'Before On' });
      await osLog.idle();
      expect(osLog.stats.sent + osLog.stats.failed).toBe(0);
      expect(daemon.messages).toEqual([]);

      log.setOsSink(true);
      const a = await log.record({ actor: 'admin', action: 'users.add', target: 'Alice Andersson', details: { phone: '+4670' } });
      const b = await log.record({ actor: 'cli', action: 'kernel.unlock' });
      log.setOsSink(false);
      await log.record({ actor: 'admin', action: 'users.remove', target: 'After Off' });
      await osLog.idle();

      await vi.waitFor(() => expect(daemon.messages).toHaveLength(2));
      expect(daemon.messages[0]).toMatch(new RegExp(`keyward: ${a.time} admin users\\.add Alice Andersson$`));
      expect(daemon.messages[1]).toMatch(new RegExp(`keyward: ${b.time} cli kernel\\.unlock$`));
      expect(daemon.messages.join('\n')).not.toMatch(/4670|Before On|After Off/);
    } finally {
      await daemon.close();
    }
  });
});
