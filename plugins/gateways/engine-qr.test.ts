import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, validateRsk, validateSsk } from '../../src/crypto/index.js';
import { QrPayloadError, tlsCredential } from '../letters/tokens.js';
import { decodeEngineQr, encodeEngineQr } from './engine-qr.js';
import { engineTlsUri } from './tokens.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const read = (...p: string[]) => JSON.parse(readFileSync(path.join(here, ...p), 'utf8')) as Record<string, any>;
/** The user example's domain (letters plugin) and this example's gateway keys (see their "note"). */
const domainFx = read('..', 'letters', 'fixtures', 'qr-example.json');
const fx = read('fixtures', 'engine-qr-example.json');
const docs = readFileSync(path.join(here, '..', '..', 'docs', 'formats.md'), 'utf8');

function encode(engine = fx.engine) {
  return encodeEngineQr(engine, {
    uri: `tel:${fx.number}`,
    securityDomain: domainFx.securityDomain,
    crs: { address: domainFx.crs.address, account: domainFx.crs.account },
    period: fx.period,
    tlsCredential: hexToBytes(fx.tlsCredential),
    updateKey: hexToBytes(fx.updateKey),
    ssk: hexToBytes(fx.ssk),
    pvt: hexToBytes(fx.pvt),
    rsk: hexToBytes(fx.rsk),
    kpak: hexToBytes(domainFx.kpak),
    Z: hexToBytes(domainFx.Z),
  });
}

/** The hex block of docs/formats.md's gateway section that follows `marker`. */
function docHex(marker: string): string {
  const section = docs.slice(docs.indexOf('## Gateway engine initiation QR payload'));
  const at = section.indexOf(marker);
  expect(at).toBeGreaterThan(-1);
  return /```[a-z]*\n([\s\S]*?)```/.exec(section.slice(at))![1]!.replace(/\s+/g, '');
}

function failure(fn: () => unknown): QrPayloadError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(QrPayloadError);
    return err as QrPayloadError;
  }
  throw new Error('expected a QrPayloadError');
}

describe('gateway engine QR payload', () => {
  it('encodes the worked example of docs/formats.md byte for byte', () => {
    const bytes = encode();
    expect(bytes.length).toBe(485);
    expect(bytesToHex(bytes)).toBe(docHex('Payload (485 bytes'));
  });

  it('uses the documented engine TLS credential derivation', () => {
    expect(bytesToHex(tlsCredential(domainFx.crs.secret, engineTlsUri(fx.number, fx.engine.id)))).toBe(fx.tlsCredential);
    expect(docs).toContain(`tlsCredential ${fx.tlsCredential}`);
  });

  it('decodes to the engine and keys that pass the ECCSI and SAKKE checks', () => {
    const d = decodeEngineQr(encode());
    expect(d.engine).toEqual(fx.engine);
    expect(d.uri).toBe('tel:+8888');
    expect(bytesToHex(d.updateKey)).toBe(fx.updateKey);
    expect(validateSsk(hexToBytes(domainFx.kpak), d.identity, d.ssk, d.pvt)).toBe(true);
    expect(validateRsk(hexToBytes(domainFx.Z), d.identity, d.rsk)).toBe(true);
  });

  it('refuses bad headers naming the field', () => {
    const bytes = encode();
    expect(failure(() => decodeEngineQr(bytes.subarray(0, 10))).field).toBe('header');
    const user = bytes.slice(21);
    expect(failure(() => decodeEngineQr(user)).field).toBe('magic'); // a user code is not an engine code
    const v2 = bytes.slice();
    v2[2] = 2;
    expect(failure(() => decodeEngineQr(v2)).field).toBe('version');
    const beyond = bytes.slice();
    beyond[3] = 4;
    expect(failure(() => decodeEngineQr(beyond)).field).toBe('engineNumber');
    const trailing = new Uint8Array(bytes.length + 1);
    trailing.set(bytes);
    expect(failure(() => decodeEngineQr(trailing)).field).toBe('end');
    expect(failure(() => encode({ ...fx.engine, id: 'xyz' })).field).toBe('engineId');
    expect(failure(() => encode({ ...fx.engine, index: 0 })).field).toBe('engineNumber');
  });
});
