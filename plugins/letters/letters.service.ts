import { CommandError } from '../../src/kernel/index.js';
import { Period, bytesToHex, zeroise } from '../../src/crypto/index.js';
import type { IDevices, DeviceFile, BurnResult, PrintResult } from '../devices/tokens.js';
import type { IDomain } from '../domain/tokens.js';
import { ownDomainDigest } from '../domains/tokens.js';
import { telUri, type IKeys } from '../keys/tokens.js';
import type { ILayouts, LetterData } from '../layouts/tokens.js';
import type { ISettings } from '../settings/tokens.js';
import { userCredentialUri, type IUsers, type UserRecord } from '../users/tokens.js';
import { combineLetters, renderPdfs } from './pdf.js';
import { qrPngDataUrl, qrSvgDataUrl } from './qr-image.js';
import { encodeUserQr } from './qr-payload.js';
import { tlsCredential } from './tls-credential.js';
import {
  USER_LETTER_LAYOUT,
  type ILetters,
  type LetterFile,
  type LetterInput,
  type LetterOptions,
  type UserQr,
} from './tokens.js';

export interface LettersDeps {
  users: IUsers;
  keys: IKeys;
  domain: IDomain;
  settings: ISettings;
  layouts: ILayouts;
  /** Absent when a deployment runs no devices plugin: Print and Burn then refuse. */
  devices?: IDevices;
}

/** Deployment choices, read at each use (flags). */
export interface LettersConfig {
  /** Settings → QR protection: protect QR codes with the user's QR code key. */
  qrEncryption(): boolean;
  /** Flag `letters.browser`: the browser executable, '' = find it (src/shell/chromium.ts). */
  browser(): string;
  /** The clock (tests fix it); the letters' month and time variables come from it. */
  now(): Date;
}

/** A user's QR payload bytes; the caller zeroises them when done. */
interface Payload {
  bytes: Uint8Array;
  protected: boolean;
}

/** Initiation letters of users: QR payloads, PDFs and their way to the printer or burner. */
export class LettersService implements ILetters {
  constructor(
    private readonly deps: LettersDeps,
    private readonly config: LettersConfig,
  ) {}

  async userQr(mobile: string): Promise<UserQr> {
    const period = Period.of(this.config.now());
    const p = await this.userPayload(mobile, period);
    try {
      return { payload: bytesToHex(p.bytes), png: await qrPngDataUrl(p.bytes), protected: p.protected, period: period.toString() };
    } finally {
      zeroise(p.bytes);
    }
  }

  async userLetterPdf(mobiles: string[], opts: LetterOptions = {}): Promise<LetterFile[]> {
    const now = this.config.now();
    const period = Period.of(now);
    // Every number is checked before the browser starts: a typo fails fast and nothing is made.
    const users = unique(mobiles).map((m) => {
      const u = this.user(m);
      zeroise(u.updateKey, u.qrCodeKey); // only the names are used here; payloads read fresh copies
      return u;
    });
    const own = ownDomainDigest(this.deps.domain);
    const crs = this.deps.settings.crs();
    const base = {
      crs: { address: crs.address, account: crs.account },
      domain: this.deps.domain.securityDomain,
      period: period.toString(),
      ownDomainId: own.id,
      ownDomainFingerprint: own.fingerprint,
    };
    const letters: LetterInput[] = users.map((u) => ({
      fileName: `initiation-${u.mobile}.pdf`,
      // The QR code is made when the letter is rendered (lazily, below), so keys are read once per letter.
      data: { ...base, person: { firstName: u.firstName, lastName: u.lastName }, uri: u.mobile },
    }));
    const withQr = async (letter: LetterInput, i: number): Promise<LetterData> => {
      const p = await this.userPayload(users[i]!.mobile, period);
      try {
        return { ...letter.data, qr: { user: await qrSvgDataUrl(p.bytes) } };
      } finally {
        zeroise(p.bytes);
      }
    };
    return this.render(USER_LETTER_LAYOUT, letters, withQr, now, { ...opts, combinedName: `initiation-letters-${stamp(now)}.pdf` });
  }

  layoutPdf(layoutId: string, letters: LetterInput[], opts: LetterOptions & { combinedName?: string } = {}): Promise<LetterFile[]> {
    return this.render(layoutId, letters, async (l) => l.data, this.config.now(), opts);
  }

  /** Print the users' letters on the device printer. */
  async print(mobiles: string[], opts: LetterOptions = {}): Promise<PrintResult> {
    const devices = await this.device('printer');
    return devices.print(asDeviceFiles(await this.userLetterPdf(mobiles, opts)));
  }

  /** Burn the users' letters as PDF to a disc (or the burn folder), then verify what was written. */
  async burn(mobiles: string[], opts: LetterOptions = {}): Promise<BurnResult & { volumeLabel: string }> {
    const devices = await this.device('burner');
    const volumeLabel = `KEYWARD_LETTERS_${stamp(this.config.now()).slice(0, 8)}`;
    const result = await devices.burn(asDeviceFiles(await this.userLetterPdf(mobiles, opts)), { volumeLabel });
    return { ...result, volumeLabel };
  }

  private async render(
    layoutId: string,
    letters: LetterInput[],
    dataOf: (l: LetterInput, i: number) => Promise<LetterData>,
    now: Date,
    opts: LetterOptions & { combinedName?: string },
  ): Promise<LetterFile[]> {
    const html = async (i: number) => this.deps.layouts.render(layoutId, await dataOf(letters[i]!, i), { now }).html;
    const pdfOpts = { executablePath: this.config.browser() || undefined, signal: opts.signal };
    if (opts.combined && letters.length > 1) {
      const docs: string[] = [];
      for (let i = 0; i < letters.length; i++) {
        if (opts.signal?.aborted) throw new CommandError('E_CANCELLED', 'Cancelled; no letter was written');
        docs.push(await html(i));
        opts.onProgress?.(i + 1, letters.length + 1);
      }
      const [pdf] = await renderPdfs(1, () => combineLetters(docs), pdfOpts);
      opts.onProgress?.(letters.length + 1, letters.length + 1);
      return [{ fileName: opts.combinedName ?? `${layoutId}.pdf`, pdf: pdf! }];
    }
    const pdfs = await renderPdfs(letters.length, html, { ...pdfOpts, onProgress: opts.onProgress });
    return pdfs.map((pdf, i) => ({ fileName: letters[i]!.fileName, pdf }));
  }

  /** The QR payload of a user's keys for `period` (docs/formats.md, "User initiation QR payload"). */
  private async userPayload(mobile: string, period: Period): Promise<Payload> {
    const user = this.user(mobile);
    const uri = telUri(user.mobile);
    const keys = await this.deps.keys.get(uri, period);
    if (!keys) {
      zeroise(user.updateKey, user.qrCodeKey);
      throw new CommandError('E_NO_KEYS', `User ${user.mobile} has no keys for ${period}; a monthly key update makes them`, {
        mobile: user.mobile,
        period: period.toString(),
      });
    }
    const { kpak, Z } = this.deps.domain.publicKeys();
    const crs = this.deps.settings.crs();
    // Per credential generation: after Destroy Keys the new letter's device has a credential the blocked one lacks.
    const tls = tlsCredential(crs.secret, userCredentialUri(user.mobile, user.generation));
    const protect = this.config.qrEncryption();
    try {
      const bytes = encodeUserQr(
        {
          uri,
          securityDomain: this.deps.domain.securityDomain,
          crs: { address: crs.address, account: crs.account },
          period: period.toString(),
          tlsCredential: tls,
          updateKey: user.updateKey,
          ssk: keys.ssk,
          pvt: keys.pvt,
          rsk: keys.rsk,
          kpak,
          Z,
        },
        protect ? { qrKey: user.qrCodeKey } : {},
      );
      return { bytes, protected: protect };
    } finally {
      zeroise(keys.ssk, keys.rsk, tls, user.updateKey, user.qrCodeKey);
    }
  }

  /** The user (with fresh copies of its secrets), or `E_NOT_FOUND` naming the number. */
  private user(mobile: string): UserRecord {
    const user = typeof mobile === 'string' ? this.deps.users.get(mobile) : undefined;
    if (!user) throw new CommandError('E_NOT_FOUND', `mobiles: no user has the number ${String(mobile)}`, { field: 'mobiles', mobile: String(mobile) });
    return user;
  }

  private async device(kind: 'printer' | 'burner'): Promise<IDevices> {
    const devices = this.deps.devices;
    if (!devices) throw new CommandError('E_NO_DEVICES', 'No devices plugin is active in this deployment (see keyward.config.json)');
    const status = await devices.status();
    if (!status[kind]) {
      throw kind === 'printer'
        ? new CommandError('E_NO_PRINTER', 'No printer is available')
        : new CommandError('E_NO_BURNER', 'No disc burner is available');
    }
    return devices;
  }
}

function unique(mobiles: string[]): string[] {
  return [...new Set(mobiles)];
}

function asDeviceFiles(files: LetterFile[]): DeviceFile[] {
  return files.map((f) => ({ name: f.fileName, data: f.pdf }));
}

/** `YYYYMMDD-HHMMSS` in UTC, for file names and volume labels. */
function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}
