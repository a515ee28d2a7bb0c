/** The channels commands' JSON shapes as the UI receives them over the bridge. */
export type { Channel } from '../tokens.js';
export type { ChannelList, ChannelRow, ChannelShow } from '../commands.js';
export type { MembershipResult } from '../channels.service.js';

/** The part of `users.list` the member list needs. */
export interface UserRow {
  mobile: string;
  firstName: string;
  lastName: string;
}
