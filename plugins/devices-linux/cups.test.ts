import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lpArgs, parseDefaultQueue, parseJobId } from './cups.js';
import { startTestCups, type TestCups } from './cupsd.testkit.js';
import { LinuxDevices } from './devices-linux.service.js';

describe('CUPS command lines', () => {
  it('lp gets the queue and title, the data comes on standard input', () => {
    expect(lpArgs('Office', 'John Smith +46701234567.pdf')).toEqual(['-d', 'Office', '-t', 'John Smith +46701234567.pdf']);
  });
  it('reads lpstat -d and lp answers', () => {
    expect(parseDefaultQueue('system default destination: KWTEST\n')).toBe('KWTEST');
    expect(parseDefaultQueue('no system default destination\n')).toBeUndefined();
    expect(parseJobId('request id is KWTEST-4 (0 file(s))\n')).toBe('KWTEST-4');
  });
});

// A real scheduler: lp → cupsd → socket backend → a printer on the loopback, bytes compared exactly.
describe('printing through a real CUPS queue', () => {
  let cups: TestCups;
  const saved = process.env.CUPS_SERVER;
  beforeAll(async () => {
    cups = await startTestCups();
    process.env.CUPS_SERVER = cups.server; // lp and lpstat, run by the service, talk to this scheduler
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.CUPS_SERVER;
    else process.env.CUPS_SERVER = saved;
    await cups?.stop();
  });

  const pdf = (name: string, n: number) => ({ name, data: Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) & 255) });

  it('has no printer until CUPS has a default queue, then prints each file as one job', async () => {
    const devices = new LinuxDevices(() => ({ printer: '', burner: '' }));
    expect(await devices.status()).toMatchObject({ printer: false });
    await expect(devices.print([pdf('a.pdf', 10)])).rejects.toMatchObject({
      code: 'E_NO_PRINTER',
      message: 'CUPS has no default printer; set one (lpadmin -d) or name a queue in devices.printer',
    });

    await cups.addQueue('KWTEST', true);
    expect(await devices.status()).toMatchObject({ printer: true, printerName: 'KWTEST' });
    const files = [pdf('John Smith +46701234567.pdf', 150_000), pdf('b.pdf', 1234)];
    expect(await devices.print(files)).toEqual({ printed: files.map((f) => f.name), destination: 'KWTEST' });
    const jobs = await cups.waitForJobs(2);
    expect(jobs.map((j) => j.length)).toEqual([150_000, 1234]);
    expect(jobs.map((j, i) => Buffer.compare(j, Buffer.from(files[i].data)))).toEqual([0, 0]);
  });

  it('prints to a named queue, and names an unknown one', async () => {
    await cups.addQueue('OTHER', false);
    const named = new LinuxDevices(() => ({ printer: 'OTHER', burner: '' }));
    const before = cups.jobs.length;
    await named.print([pdf('x.pdf', 99)]);
    expect((await cups.waitForJobs(before + 1))[before]).toHaveLength(99);

    const ghost = new LinuxDevices(() => ({ printer: 'NOPE', burner: '' }));
    expect(await ghost.status()).toMatchObject({ printer: false, printerName: 'NOPE' });
    await expect(ghost.print([pdf('x.pdf', 1)])).rejects.toMatchObject({ code: 'E_NO_PRINTER', message: expect.stringContaining('CUPS does not know the printer "NOPE"') });
  });
});
