/**
 * A private CUPS scheduler for tests: its own config, spool and socket in a temp dir (the
 * machine's CUPS is not touched), and one raw queue whose device is an AppSocket (JetDirect)
 * printer played by a loopback TCP server, which keeps every job's bytes.
 * Needs root (cupsd runs its backends as the lp user) and the cups package.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
/** cupsd and lpadmin live in sbin, which a non-login PATH may lack. */
const PATH = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;

export interface TestCups {
  /** The scheduler's socket: set as CUPS_SERVER for lp, lpstat and lpadmin. */
  server: string;
  /** Bytes of every job the printer received, in order. */
  jobs: Buffer[];
  /** Adds a raw queue printing to the loopback printer; `isDefault` makes it `lpstat -d`. */
  addQueue(name: string, isDefault: boolean): Promise<void>;
  /** Resolves once `n` jobs have arrived (fails after `ms`). */
  waitForJobs(n: number, ms?: number): Promise<Buffer[]>;
  stop(): Promise<void>;
}

export async function startTestCups(): Promise<TestCups> {
  const dir = await mkdtemp(join(tmpdir(), 'keyward-cups-'));
  await chmod(dir, 0o755);
  const gid = Number((await exec('id', ['-g', 'lp'])).stdout.trim());
  for (const [sub, mode] of [['spool', 0o710], ['tmp', 0o1770], ['cache', 0o770], ['state', 0o755], ['log', 0o755], ['ppd', 0o755]] as const) {
    await mkdir(join(dir, sub));
    await chmod(join(dir, sub), mode);
    await chown(join(dir, sub), 0, gid);
  }
  const server = join(dir, 'cups.sock');
  await writeFile(
    join(dir, 'cups-files.conf'),
    [`ServerRoot ${dir}`, `RequestRoot ${dir}/spool`, `TempDir ${dir}/tmp`, `CacheDir ${dir}/cache`, `StateDir ${dir}/state`,
      `AccessLog ${dir}/log/access_log`, `ErrorLog ${dir}/log/error_log`, `PageLog ${dir}/log/page_log`, 'SystemGroup root', ''].join('\n'),
  );
  await writeFile(
    join(dir, 'cupsd.conf'),
    [`Listen ${server}`, `Printcap ${dir}/printcap`, 'LogLevel info', 'Browsing No', 'WebInterface No', 'DefaultAuthType None',
      '<Location />', '  Order allow,deny', '  Allow all', '</Location>', ''].join('\n'),
  );

  const jobs: Buffer[] = [];
  const waiters: (() => void)[] = [];
  const printer: Server = createServer((socket) => {
    const parts: Buffer[] = [];
    socket.on('data', (b) => parts.push(b));
    socket.on('end', () => {
      jobs.push(Buffer.concat(parts));
      socket.end();
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((ok) => printer.listen(0, '127.0.0.1', ok));
  const port = (printer.address() as { port: number }).port;

  const cupsd: ChildProcess = spawn('cupsd', ['-f', '-c', join(dir, 'cupsd.conf'), '-s', join(dir, 'cups-files.conf')], { stdio: 'ignore', env: { ...process.env, PATH } });
  const stop = async () => {
    cupsd.kill();
    await new Promise((ok) => (cupsd.exitCode !== null ? ok(undefined) : cupsd.once('exit', ok)));
    await new Promise((ok) => printer.close(ok));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await untilListening(server, cupsd);
  } catch (err) {
    await stop();
    throw err;
  }
  const env = { ...process.env, PATH, CUPS_SERVER: server };
  return {
    server,
    jobs,
    async addQueue(name, isDefault) {
      // Raw: CUPS passes the bytes unchanged, so the test compares them exactly.
      await exec('lpadmin', ['-p', name, '-E', '-v', `socket://127.0.0.1:${port}`, '-m', 'raw'], { env });
      if (isDefault) await exec('lpadmin', ['-d', name], { env });
    },
    async waitForJobs(n, ms = 20_000) {
      const deadline = Date.now() + ms;
      while (jobs.length < n) {
        if (Date.now() > deadline) throw new Error(`the test printer received ${jobs.length} of ${n} jobs in ${ms} ms`);
        await new Promise<void>((ok) => {
          waiters.push(ok);
          setTimeout(ok, 200);
        });
      }
      return jobs.slice(0, n);
    },
    stop,
  };
}

/** Polls the scheduler's socket until it accepts (cupsd takes about a second to start). */
async function untilListening(path: string, cupsd: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (cupsd.exitCode !== null) throw new Error(`cupsd exited with code ${cupsd.exitCode}`);
    const ok = await new Promise<boolean>((res) => {
      const s = connect(path, () => {
        s.end();
        res(true);
      });
      s.on('error', () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('cupsd did not start listening within 10 s');
}
