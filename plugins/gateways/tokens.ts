import { defineHook, token } from '../../src/kernel/index.js';

export { MAX_ENGINES, MIN_ENGINES } from './limits.js';

/** A crypto engine of a gateway: its own update key and TLS credential, so it can be re-initiated or revoked alone. */
export interface EngineSummary {
  /** 128-bit random id, 32 hex digits; it names the engine in letters, updates and its TLS credential. */
  id: string;
  /** ISO 8601 UTC. */
  createdAt: string;
}

/** An engine taken away by `gateways.edit`: the next monthly update revokes its credentials. */
export interface RevokedEngine {
  id: string;
  /** ISO 8601 UTC. */
  revokedAt: string;
}

/** A gateway (Cryptify Interconnect Gateway) as the list shows it. Carries no secret. */
export interface GatewaySummary {
  /** 128-bit random id, 32 hex digits (the key owner is `gateways:<id>`). */
  id: string;
  name: string;
  /** E.164, e.g. `+8888`; its URI `tel:+8888` gets monthly keys like a user's number. Cannot change. */
  number: string;
  /** The engines in service, in the order they were added (letters number them 1…n in this order). */
  engines: EngineSummary[];
  /** Engines removed since the gateway was added, kept so updates can revoke them. */
  revokedEngines: RevokedEngine[];
  /** ISO 8601 UTC. */
  createdAt: string;
}

/** An engine with a fresh copy of its update key (the caller zeroises it). */
export interface EngineRecord extends EngineSummary {
  /** 128-bit key protecting the engine's entries in the monthly update file. */
  updateKey: Uint8Array;
}

/** A gateway with its engines' secrets, for plugins that protect or print for it (updates, letters). */
export interface GatewayRecord extends Omit<GatewaySummary, 'engines'> {
  engines: EngineRecord[];
}

/** The gateways of the Security Domain. */
export interface IGateways {
  /** Every gateway with its engines, sorted by number. */
  list(): GatewaySummary[];
  /** A gateway (by id or number) with fresh copies of its engines' update keys, or undefined. */
  get(idOrNumber: string): GatewayRecord | undefined;
}
export const IGateways = token<IGateways>('gateways:IGateways');

/**
 * Runs after gateways are deleted (records and keys gone), with what they were, so the updates
 * plugin blocks every engine they ever had — also one no update file has listed yet, as its
 * letter already carries a TLS credential the CRS would accept.
 */
export const GatewaysDeletedHook = defineHook<{ gateways: GatewaySummary[] }>('gateways.deleted');

/** The key owner of a gateway's number keys in IKeys. */
export function gatewayKeyOwner(id: string): string {
  return `gateways:${id}`;
}

/**
 * The URI an engine presents to the CRS, the salt of its TLS credential (letters plugin's
 * `tlsCredential`): the gateway's URI with the engine id as a parameter, so every engine has its
 * own credential and the CRS, holding the same shared secret, derives it from what it is shown.
 * Documented in docs/formats.md, "Gateway engine initiation QR payload".
 */
export function engineTlsUri(number: string, engineId: string): string {
  return `tel:${number};engine=${engineId}`;
}
