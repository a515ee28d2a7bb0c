import { CommandError, type Collection } from '../../src/kernel/index.js';
import { bytesToHex, generateEccsiMasterKeys, generateSakkeMasterKeys, hexToBytes, zeroise } from '../../src/crypto/index.js';
import type { DomainMasterSecrets, DomainPublicKeys, DomainShow, IDomain } from './tokens.js';
import { validateSecurityDomain } from './security-domain.js';

/** The one record of the `domain` collection (encrypted at rest by the vault). Byte fields are hex. */
export interface DomainDoc {
  _id: 'master';
  securityDomain: string;
  ksak: string;
  kpak: string;
  z: string;
  Z: string;
  /** ISO 8601 UTC. */
  created: string;
}

interface Loaded {
  securityDomain: string;
  ksak: Uint8Array;
  kpak: Uint8Array;
  z: Uint8Array;
  Z: Uint8Array;
  created: string;
}

/** Keeps the Security Domain and its master keys; the keys are made once, by the install wizard. */
export class DomainService implements IDomain {
  private keys?: Loaded;

  constructor(private readonly store: Collection<DomainDoc>) {}

  /** Read the stored domain, if the wizard has run. */
  async load(): Promise<void> {
    const doc = await this.store.findOne({ _id: 'master' });
    if (doc) this.keys = decode(doc);
  }

  get ready(): boolean {
    return this.keys !== undefined;
  }

  get securityDomain(): string {
    return this.loaded().securityDomain;
  }

  get created(): string {
    return this.loaded().created;
  }

  publicKeys(): DomainPublicKeys {
    const k = this.loaded();
    return { kpak: k.kpak.slice(), Z: k.Z.slice() };
  }

  masterSecrets(): DomainMasterSecrets {
    const k = this.loaded();
    return { ksak: k.ksak.slice(), kpak: k.kpak.slice(), z: k.z.slice() };
  }

  /**
   * Name the domain and create its ECCSI and SAKKE master keys. Refuses (`E_ALREADY_SET_UP`)
   * when they exist: replacing master keys would orphan every issued key.
   */
  async create(securityDomain: unknown): Promise<void> {
    const name = validateSecurityDomain(securityDomain);
    if (this.keys || (await this.store.count({})) > 0) {
      throw new CommandError('E_ALREADY_SET_UP', 'the domain master keys exist already; they are created only once');
    }
    const { ksak, kpak } = generateEccsiMasterKeys();
    const { z, Z } = generateSakkeMasterKeys();
    const doc: DomainDoc = {
      _id: 'master',
      securityDomain: name,
      ksak: bytesToHex(ksak),
      kpak: bytesToHex(kpak),
      z: bytesToHex(z),
      Z: bytesToHex(Z),
      created: new Date().toISOString(),
    };
    await this.store.insert(doc);
    this.keys = { securityDomain: name, ksak, kpak, z, Z, created: doc.created };
  }

  /** The public view for `domain.show`. */
  show(): DomainShow {
    const k = this.loaded();
    return { securityDomain: k.securityDomain, kpak: bytesToHex(k.kpak), z: bytesToHex(k.Z) };
  }

  /** Forget the secrets when the plugin stops (the vault locks too). */
  dispose(): void {
    if (this.keys) zeroise(this.keys.ksak, this.keys.z);
    this.keys = undefined;
  }

  private loaded(): Loaded {
    if (!this.keys) throw new CommandError('E_NO_DOMAIN', 'the Security Domain has not been set up yet (run the install wizard)');
    return this.keys;
  }
}

function decode(doc: DomainDoc): Loaded {
  return {
    securityDomain: doc.securityDomain,
    ksak: hexToBytes(doc.ksak),
    kpak: hexToBytes(doc.kpak),
    z: hexToBytes(doc.z),
    Z: hexToBytes(doc.Z),
    created: doc.created,
  };
}
