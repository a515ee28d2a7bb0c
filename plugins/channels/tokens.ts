import { token } from '../../src/kernel/index.js';
import type { Period } from '../../src/crypto/index.js';
import type { KeySetRecord } from '../keys/tokens.js';

/** Manual, "Channel management" → Create: "Up to 50 channels can be added." */
export const MAX_CHANNELS = 50;

export { CHANNEL_CLIENT_VERSIONS } from './compatibility.js';

/** A channel as Keyward keeps it. The name stays in the CMS and reaches members only, never the CRS. */
export interface Channel {
  /** 128 random bits (CSPRNG) as 32 lower-case hex digits: the channel's identifier everywhere outside the CMS. */
  id: string;
  name: string;
  /** Members' mobile numbers (E.164), sorted. */
  members: string[];
  /** ISO 8601 UTC. */
  createdAt: string;
}

/** What the CRS may see of a channel (docs/formats.md, "Channels"): the id and the members' numbers — never the name. */
export interface CrsChannel {
  id: string;
  members: string[];
}

/** The channels of the Security Domain, for the updates plugin and User Details. */
export interface IChannels {
  /** Every channel with its members, sorted by name. */
  list(): Channel[];
  /** The channels `mobile` belongs to, sorted by name. */
  channelsOf(mobile: string): Channel[];
  /** The CRS-visible part of every channel (id and members only). */
  crsView(): CrsChannel[];
  /** The channel's stored keys for `period`, if any (the caller zeroises `ssk` and `rsk`). */
  keys(id: string, period: Period): Promise<KeySetRecord | undefined>;
  /**
   * Make sure every channel has keys for each of `periods` (monthly generation): missing ones are
   * issued and stored together; existing ones are kept, never regenerated. Returns how many were made.
   */
  issueKeys(periods: Period[]): Promise<number>;
}
export const IChannels = token<IChannels>('channels:IChannels');

/** The key URI of a channel (src/crypto identity.ts: Keyward's channel scheme). */
export function channelKeyUri(id: string): string {
  return `keyward:channel:${id}`;
}

/** The owner of a channel's keys in IKeys. */
export function channelKeyOwner(id: string): string {
  return `channels:${id}`;
}
