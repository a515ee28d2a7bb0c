/**
 * The user list's logic without the DOM: search, sort and the click/shift/ctrl selection
 * rules of a desktop list. Kept pure so it is tested directly and stays fast at 10,000 rows.
 */
import type { UserSummary } from './types.js';

export type SortKey = 'lastName' | 'firstName' | 'mobile' | 'comment' | 'status';
export interface Sort {
  key: SortKey;
  descending: boolean;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Numbers are typed with spaces and dashes; compare them without. */
function digitsOf(token: string): string {
  return token.replace(/[\s-]/g, '');
}

/**
 * True when every word of `query` occurs in the user's names or comment (any case), or in
 * the user's number or one of the additional lines.
 */
export function matches(user: UserSummary, words: string[]): boolean {
  const text = `${user.firstName}\n${user.lastName}\n${user.comment}`.toLowerCase();
  return words.every((w) => text.includes(w) || user.mobile.includes(digitsOf(w)) || user.lines.some((l) => l.includes(digitsOf(w))));
}

/** The query split into lower-case words (empty: everything matches). */
export function queryWords(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

/** Compromised users sort first: they are the ones an administrator looks for. */
function sortValue(u: UserSummary, key: SortKey): string {
  return key === 'status' ? (u.compromised ? '0' : '1') : u[key];
}

/** The users the list shows, in order: those matching `query`, sorted by `sort` (ties by number). */
export function visibleUsers(users: readonly UserSummary[], query: string, sort: Sort): UserSummary[] {
  const words = queryWords(query);
  const shown = words.length ? users.filter((u) => matches(u, words)) : users.slice();
  const sign = sort.descending ? -1 : 1;
  return shown.sort((a, b) => sign * collator.compare(sortValue(a, sort.key), sortValue(b, sort.key)) || collator.compare(a.mobile, b.mobile));
}

/** Selected numbers and the anchor a shift-click extends from. */
export interface Selection {
  selected: ReadonlySet<string>;
  anchor?: string;
}

export interface ClickModifiers {
  /** Shift: select the range from the anchor to here. */
  range: boolean;
  /** Ctrl (Cmd on macOS), or the row's checkbox: toggle this row, keep the rest. */
  toggle: boolean;
}

/**
 * The selection after clicking row `index` of `order` (the numbers as shown): a plain click
 * selects only that row; ctrl toggles it; shift selects the anchor's range (added to the
 * selection with ctrl+shift). The anchor moves on plain and ctrl clicks, as in desktop lists.
 */
export function clickSelection(current: Selection, order: readonly string[], index: number, mods: ClickModifiers): Selection {
  const mobile = order[index];
  if (mobile === undefined) return current;
  const anchorIndex = current.anchor === undefined ? -1 : order.indexOf(current.anchor);
  if (mods.range && anchorIndex >= 0) {
    const [from, to] = anchorIndex <= index ? [anchorIndex, index] : [index, anchorIndex];
    const selected = new Set(mods.toggle ? current.selected : []);
    for (let i = from; i <= to; i++) selected.add(order[i]!);
    return { selected, anchor: current.anchor };
  }
  if (mods.toggle) {
    const selected = new Set(current.selected);
    if (selected.has(mobile)) selected.delete(mobile);
    else selected.add(mobile);
    return { selected, anchor: mobile };
  }
  return { selected: new Set([mobile]), anchor: mobile };
}

/** Drop selected numbers that are no longer in `users` (after a delete or reload). */
export function keepExisting(selection: Selection, users: readonly UserSummary[]): Selection {
  if (!selection.selected.size) return selection;
  const known = new Set(users.map((u) => u.mobile));
  const selected = new Set([...selection.selected].filter((m) => known.has(m)));
  return { selected, anchor: selection.anchor !== undefined && known.has(selection.anchor) ? selection.anchor : undefined };
}

/** "12 of 10,000 users · 3 selected · limit 100" */
export function countsText(shown: number, total: number, selected: number, userLimit: number | null): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const parts = [shown === total ? `${n(total)} ${total === 1 ? 'user' : 'users'}` : `${n(shown)} of ${n(total)} users`];
  parts.push(`${n(selected)} selected`);
  if (userLimit !== null) parts.push(`limit ${n(userLimit)}`);
  return parts.join(' · ');
}
