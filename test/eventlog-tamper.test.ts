/** One changed byte in the event log file, or one deleted record, and `keyward log verify` fails naming the record. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INIT_VALUES, initWithCli, runCli, tempDir } from '../src/cli/testing.js';

const EVENT_LOG = 'eventlog.jsonl';
const root = tempDir('kw-tamper-');
let dataDir: string;

const cli = (dir: string, ...args: string[]) => runCli(['--data-dir', dir, ...args], { KEYWARD_PASSPHRASE: INIT_VALUES.passphrase });

/** A private copy of the data dir with a few records in its log. */
function copy(name: string): string {
  const dir = path.join(root.dir, name);
  fs.cpSync(dataDir, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  dataDir = path.join(root.dir, 'data');
  expect((await initWithCli(dataDir, root.dir)).code).toBe(0);
  for (const address of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) {
    const args = JSON.stringify({ address, account: INIT_VALUES.crsAccount });
    expect((await cli(dataDir, 'run', 'settings.setCrs', '--args', args)).code).toBe(0);
  }
  const intact = await cli(dataDir, 'log', 'verify', '--json');
  expect(intact.code).toBe(0);
  expect(JSON.parse(intact.stdout)).toMatchObject({ ok: true });
  expect(JSON.parse(intact.stdout).records).toBeGreaterThanOrEqual(5);
});
afterAll(() => root.remove());

describe('event log tampering', () => {
  it('finds one changed byte and names the record', async () => {
    const dir = copy('byte');
    const file = path.join(dir, EVENT_LOG);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    // Record 3: change one character of its sealed data to another base64 character (the line stays valid JSON).
    const line = lines[2]!;
    expect(JSON.parse(line).seq).toBe(3);
    const at = line.indexOf('"data":"') + '"data":"'.length + 20;
    lines[2] = line.slice(0, at) + (line[at] === 'A' ? 'B' : 'A') + line.slice(at + 1);
    fs.writeFileSync(file, lines.join('\n'));

    const run = await cli(dir, 'log', 'verify');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error \[E_LOG_BROKEN\]: the event log fails verification at record 3: /);
    const json = await cli(dir, 'log', 'verify', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, problem: { seq: 3 } });
  });

  it('finds a deleted record and names the place', async () => {
    const dir = copy('deleted');
    const file = path.join(dir, EVENT_LOG);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.splice(1, 1); // record 2
    fs.writeFileSync(file, lines.join('\n'));

    const run = await cli(dir, 'log', 'verify');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/at record 2: /);
  });
});
