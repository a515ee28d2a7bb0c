import { describe, expect, it } from 'vitest';
import { MIN_PASSPHRASE_LENGTH, passphraseStrength } from './passphrase-policy.js';

describe('passphraseStrength', () => {
  it('calls anything under the minimum length too short', () => {
    expect(passphraseStrength('a'.repeat(MIN_PASSPHRASE_LENGTH - 1)).level).toBe('too-short');
    expect(passphraseStrength('Tr0ub4dor&3').level).toBe('too-short');
  });

  it('rates repeated characters weak however long', () => {
    expect(passphraseStrength('aaaaaaaaaaaaaaaaaaaaaaaa').level).toBe('weak');
  });

  it('rates a short single-case word list fair and a longer phrase strong', () => {
    expect(passphraseStrength('horse battery').level).toBe('fair');
    expect(passphraseStrength('correct horse battery staple').level).toBe('strong');
  });

  it('grows with length', () => {
    expect(passphraseStrength('abcdefghijklmnop').bits).toBeGreaterThan(passphraseStrength('abcdefghijkl').bits);
  });
});
