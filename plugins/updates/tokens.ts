/**
 * The updates plugin's public surface: what its commands return, and the reference reader of the
 * file (docs/formats.md, "Monthly update file") for the CLI and for whoever writes the other side.
 */
import type { BurnResult } from '../devices/tokens.js';

export type { BlockedCredential, CrsEndpoint, CrsPart, EntryKeys, UpdateEntry } from './types.js';
export { inspectUpdateFile, type InspectResult, type InspectedEntry, type KeyCheck } from './inspect.js';
export { deadlineFor } from './calendar.js';

/** The deadline of a file: it must reach the CRS before `sendBefore` (`YYYY-MM-DD`) to serve `month`. */
export interface UpdateDeadline {
  month: string;
  sendBefore: string;
}

/** What a generation made (`updates.generate`, the Update view's summary). */
export interface UpdateSummary {
  fileName: string;
  /** ISO 8601 UTC. */
  created: string;
  /** The two months covered. */
  months: string[];
  /** For the second month: the file must be at the CRS before then. */
  deadline: UpdateDeadline;
  bytes: number;
  /** Key sets made because they were missing (the rest existed and were reused). */
  keysMade: number;
  /** Entries: users plus gateway crypto engines. */
  endpoints: number;
  users: number;
  engines: number;
  blocked: number;
  peers: number;
  revokedPeers: number;
  channels: number;
}

/** `updates.generate`: the summary and where the file went. */
export type GenerateResult = UpdateSummary & ({ file: string } | { burn: BurnResult & { volumeLabel: string } });

/** `updates.status`: what the Update view shows before generating. */
export interface UpdateStatus {
  /** This month and the next: what a file made now covers. */
  months: string[];
  deadline: UpdateDeadline;
  /** Whole days from today (UTC) to the deadline day; negative once it has passed. */
  daysLeft: number;
  last: UpdateSummary | null;
}
