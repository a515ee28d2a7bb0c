/**
 * Domains this installation replaced because they were compromised (manual, "Compromised recovery
 * – CMS"), given to the install wizard; a backup of one of them would bring back its master keys.
 * Kept in the `backup` collection as `{ _id: 'compromised', fingerprints: [...] }`.
 */
import { CommandError, type Collection } from '../../src/kernel/index.js';
import { normaliseFingerprint } from './fingerprint.js';

export interface CompromisedDoc {
  _id: 'compromised';
  fingerprints: string[];
}

export class CompromisedDomains {
  constructor(private readonly store: Collection<CompromisedDoc>) {}

  async list(): Promise<string[]> {
    const doc = await this.store.findOne({ _id: 'compromised' });
    return doc?.fingerprints ?? [];
  }

  /** Records the fingerprints given at setup; a malformed one fails the install, naming the field. */
  async record(given: string[]): Promise<void> {
    const fingerprints = given.map((text, i) => {
      const fp = normaliseFingerprint(text);
      if (!fp) {
        throw new CommandError('E_INVALID_ARGS', `kernel.init: setup.compromisedDomains[${i}] is not a domain fingerprint (64 hex digits)`, { field: 'compromisedDomains' });
      }
      return fp;
    });
    await this.store.update({ _id: 'compromised' }, { _id: 'compromised', fingerprints: [...new Set(fingerprints)] }, { upsert: true });
  }
}
