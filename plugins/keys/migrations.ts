/**
 * Versions of the `keys` collection (the kernel's `CollectionSchema`; docs/upgrade.md).
 *
 * 2: a record no longer stores `identity`. The identity is "YYYY-MM\0<uri>\0" (RFC 6509 §3.2), a
 *    function of the record's `period` and `uri`, so a stored copy could only ever disagree with
 *    them, and it took about a twentieth of the largest file. The step checks the copy before
 *    dropping it: a record whose identity does not match is damaged, and the upgrade stops with the
 *    data unchanged rather than silently serving keys for another identity.
 */
import { bytesToHex } from '../../src/crypto/index.js';
import type { CollectionSchema } from '../../src/kernel/index.js';
import { identityFor, parsePeriod } from './uri.js';

export const KEYS_SCHEMA: CollectionSchema = {
  version: 2,
  migrations: {
    2: ({ identity, ...doc }) => {
      const expected = bytesToHex(identityFor(parsePeriod(doc.period), String(doc.uri)));
      if (identity !== expected) throw new Error(`key record ${String(doc._id)}: its stored identity does not match its month and URI`);
      return doc;
    },
  },
};
