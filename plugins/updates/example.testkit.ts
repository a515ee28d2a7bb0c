/** The worked example of docs/formats.md, "Monthly update file", built from its test-only fixture (tests only). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CrsPart, UpdateEntry } from './types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const fx = JSON.parse(readFileSync(path.join(here, 'fixtures', 'update-example.json'), 'utf8')) as Record<string, any>;

/** The example's CRS-visible part and its one entry: user +46706764287 after one Destroy Keys. */
export function exampleParts(): { crs: CrsPart; entry: UpdateEntry } {
  const crs: CrsPart = {
    format: 'keyward-update',
    version: 1,
    account: fx.account,
    months: fx.months,
    created: fx.created,
    endpoints: [{ id: fx.endpoint, kind: 'user', generation: 2, lines: [] }],
    blocked: [{ kind: 'user', uri: fx.endpoint, generation: 1, reason: 'destroyed' }],
    channels: [],
  };
  const entry: UpdateEntry = {
    format: 'keyward-update-entry',
    version: 1,
    months: fx.months,
    securityDomain: fx.securityDomain,
    crs: { address: fx.crsAddress, account: fx.account },
    kms: { kpak: fx.kpak, z: fx.Z },
    peers: [],
    revokedPeers: [],
    settings: { messageLifetime: null, authorisedIntercept: false, multipath: false, channels: true, qrProtection: false },
    endpoint: fx.endpoint,
    kind: 'user',
    identities: [{ uri: fx.endpoint, keys: fx.keys }],
    puk: fx.puk,
    channels: [],
  };
  return { crs, entry };
}
