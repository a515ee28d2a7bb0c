import { describe, expect, it } from 'vitest';
import { openBackup, sealBackup } from './container.js';

/** The worked example of docs/formats.md, "Backup file". */
const EXAMPLE =
  '4b574241434b5550010a0801000102030405060708090a0b0c0d0e0fa0a1a2a3a4a5a6a7a8a9aaab' +
  'a28d20050573eb3416cb13f74a6399e23f4e5a064b39ba763cc8ebb254d5a27dcd14a1b68501';
const PASSPHRASE = 'a backup phrase kept in the safe';

describe('backup container', () => {
  it('opens the worked example of docs/formats.md to the empty ZIP archive', async () => {
    const zip = await openBackup(Buffer.from(EXAMPLE, 'hex'), PASSPHRASE, 'example');
    expect(zip.toString('hex')).toBe('504b0506' + '00'.repeat(18));
  });

  it('refuses a changed header byte (the cost, salt and version are authenticated too)', async () => {
    const file = Buffer.from(EXAMPLE, 'hex');
    file[20]! ^= 1; // in the salt
    await expect(openBackup(file, PASSPHRASE, 'example')).rejects.toMatchObject({ code: 'E_BACKUP_PASSPHRASE' });
  });

  it('refuses an absurd scrypt cost before deriving anything', async () => {
    const file = await sealBackup(Buffer.from('zip'), PASSPHRASE, { log2N: 10, r: 8, p: 1 });
    file[9] = 30;
    await expect(openBackup(file, PASSPHRASE, 'x')).rejects.toMatchObject({ code: 'E_BACKUP_FORMAT', message: expect.stringContaining('out of range') });
  });

  it('round-trips under a fresh salt and IV each time', async () => {
    const a = await sealBackup(Buffer.from('same archive'), PASSPHRASE, { log2N: 10, r: 8, p: 1 });
    const b = await sealBackup(Buffer.from('same archive'), PASSPHRASE, { log2N: 10, r: 8, p: 1 });
    expect(a.equals(b)).toBe(false);
    expect((await openBackup(b, PASSPHRASE, 'b')).toString()).toBe('same archive');
  });
});
