/**
 * Gateway initiation letters (manual, "Gateway Initiation Letters"): one letter page per crypto
 * engine, each with that engine's QR code (engine-qr.ts), rendered with the layout
 * 'letters.gateway-initiation' and made into one PDF per gateway by the letters plugin; then
 * printed or burned through IDevices.
 */
import { CommandError } from '../../src/kernel/index.js';
import { Period, zeroise } from '../../src/crypto/index.js';
import type { BurnResult, DeviceFile, IDevices, PrintResult } from '../devices/tokens.js';
import type { IDomain } from '../domain/tokens.js';
import { ownDomainDigest } from '../domains/tokens.js';
import { telUri, type IKeys } from '../keys/tokens.js';
// The letters plugin's PDF machinery (ILetters) and its pure helpers, so gateway letters match user letters exactly.
import { GATEWAY_LETTER_LAYOUT, qrSvgDataUrl, tlsCredential, type ILetters, type LetterFile, type LetterInput } from '../letters/tokens.js';
import type { ISettings } from '../settings/tokens.js';
import { encodeEngineQr } from './engine-qr.js';
import type { GatewaysService } from './gateways.service.js';
import { engineTlsUri, type GatewayRecord } from './tokens.js';

export interface GatewayLettersDeps {
  gateways: GatewaysService;
  keys: IKeys;
  domain: IDomain;
  settings: ISettings;
  letters: ILetters;
  /** Absent when a deployment runs no devices plugin: Print and Burn then refuse. */
  devices?: IDevices;
  now(): Date;
}

export interface LetterRunOptions {
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

export class GatewayLetters {
  constructor(private readonly deps: GatewayLettersDeps) {}

  /**
   * One PDF per gateway (`gateway-<number>.pdf`), a page per engine, keys of the current month.
   * `engines` (engine ids) limits the letters to those engines, to re-initiate one engine alone.
   */
  async pdf(ids: unknown, opts: LetterRunOptions & { engines?: string[] } = {}): Promise<LetterFile[]> {
    const docs = this.deps.gateways.findAll(ids);
    const only = opts.engines && new Set(opts.engines);
    if (only) {
      const known = new Set(docs.flatMap((d) => d.engines.map((e) => e.id)));
      const unknown = [...only].find((id) => !known.has(id));
      if (unknown !== undefined) {
        throw new CommandError('E_NOT_FOUND', `engines: ${unknown} is not an engine in service of the gateways chosen`, { field: 'engines', reason: 'not found' });
      }
    }
    const now = this.deps.now();
    const period = Period.of(now);
    const files: LetterFile[] = [];
    for (const [i, doc] of docs.entries()) {
      if (opts.signal?.aborted) throw new CommandError('E_CANCELLED', 'Cancelled; no letter was written');
      const gateway = this.deps.gateways.get(doc._id)!;
      try {
        const letters = await this.engineLetters(gateway, period, only);
        if (!letters.length) continue;
        const [file] = await this.deps.letters.layoutPdf(GATEWAY_LETTER_LAYOUT, letters, {
          combined: true,
          combinedName: `gateway-${gateway.number}.pdf`,
          signal: opts.signal,
        });
        files.push(file!);
      } finally {
        zeroise(...gateway.engines.map((e) => e.updateKey));
      }
      opts.onProgress?.(i + 1, docs.length);
    }
    return files;
  }

  async print(ids: unknown, opts: LetterRunOptions & { engines?: string[] } = {}): Promise<PrintResult> {
    const devices = await this.device('printer');
    return devices.print(asDeviceFiles(await this.pdf(ids, opts)));
  }

  async burn(ids: unknown, opts: LetterRunOptions & { engines?: string[] } = {}): Promise<BurnResult & { volumeLabel: string }> {
    const devices = await this.device('burner');
    const volumeLabel = `KEYWARD_GATEWAYS_${this.deps.now().toISOString().slice(0, 10).replace(/-/g, '')}`;
    const result = await devices.burn(asDeviceFiles(await this.pdf(ids, opts)), { volumeLabel });
    return { ...result, volumeLabel };
  }

  /** The letter data of each engine (those in `only`, if given), its QR code made from the gateway's keys for `period`. */
  private async engineLetters(gateway: GatewayRecord, period: Period, only?: Set<string>): Promise<LetterInput[]> {
    if (only && !gateway.engines.some((e) => only.has(e.id))) return [];
    const uri = telUri(gateway.number);
    const keys = await this.deps.keys.get(uri, period);
    if (!keys) {
      throw new CommandError('E_NO_KEYS', `Gateway ${gateway.number} has no keys for ${period}; a monthly key update makes them`, {
        number: gateway.number,
        period: period.toString(),
      });
    }
    const { kpak, Z } = this.deps.domain.publicKeys();
    const own = ownDomainDigest(this.deps.domain);
    const crs = this.deps.settings.crs();
    const securityDomain = this.deps.domain.securityDomain;
    const count = gateway.engines.length;
    try {
      const letters: LetterInput[] = [];
      for (const [i, engine] of gateway.engines.entries()) {
        if (only && !only.has(engine.id)) continue;
        const tls = tlsCredential(crs.secret, engineTlsUri(gateway.number, engine.id));
        const payload = encodeEngineQr(
          { index: i + 1, count, id: engine.id },
          {
            uri,
            securityDomain,
            crs: { address: crs.address, account: crs.account },
            period: period.toString(),
            tlsCredential: tls,
            updateKey: engine.updateKey,
            ssk: keys.ssk,
            pvt: keys.pvt,
            rsk: keys.rsk,
            kpak,
            Z,
          },
        );
        try {
          letters.push({
            fileName: `gateway-${gateway.number}-engine-${i + 1}.pdf`,
            data: {
              person: { fullName: gateway.name },
              uri: gateway.number,
              crs: { address: crs.address, account: crs.account },
              domain: securityDomain,
              period: period.toString(),
              ownDomainId: own.id,
              ownDomainFingerprint: own.fingerprint,
              engines: `${i + 1} of ${count} (engine ${engine.id})`,
              qr: { gateway: await qrSvgDataUrl(payload) },
            },
          });
        } finally {
          zeroise(tls, payload);
        }
      }
      return letters;
    } finally {
      zeroise(keys.ssk, keys.rsk);
    }
  }

  private async device(kind: 'printer' | 'burner'): Promise<IDevices> {
    const devices = this.deps.devices;
    if (!devices) throw new CommandError('E_NO_DEVICES', 'No devices plugin is active in this deployment (see keyward.config.json)');
    const status = await devices.status();
    if (!status[kind]) {
      throw kind === 'printer' ? new CommandError('E_NO_PRINTER', 'No printer is available') : new CommandError('E_NO_BURNER', 'No disc burner is available');
    }
    return devices;
  }
}

function asDeviceFiles(files: LetterFile[]): DeviceFile[] {
  return files.map((f) => ({ name: f.fileName, data: f.pdf }));
}
