import { describe, expect, it } from 'vitest';
import { clickSelection, countsText, keepExisting, visibleUsers, type Selection } from './list-model.js';
import type { UserSummary } from './types.js';

function user(mobile: string, firstName: string, lastName: string, comment = '', extra: Partial<UserSummary> = {}): UserSummary {
  return { mobile, firstName, lastName, comment, lines: [], compromised: false, generation: 1, createdAt: '2026-11-01T00:00:00.000Z', ...extra };
}

const users = [
  user('+46701000003', 'Dana', 'Doe', 'Project Alpha'),
  user('+44777666555', 'John', 'Doe', 'Project Alpha'),
  user('+8888', 'Åsa', 'Öberg', 'gateway desk', { lines: ['+46105550001'] }),
  user('+46701000001', 'erik', 'berg', '', { compromised: true }),
];
const byLast = { key: 'lastName', descending: false } as const;
const mobiles = (list: UserSummary[]) => list.map((u) => u.mobile);

describe('search', () => {
  it('matches every word against names and comment in any case', () => {
    expect(mobiles(visibleUsers(users, 'doe ALPHA', byLast))).toEqual(['+44777666555', '+46701000003']);
    expect(mobiles(visibleUsers(users, 'gateway', byLast))).toEqual(['+8888']);
    expect(visibleUsers(users, 'doe gateway', byLast)).toEqual([]);
  });

  it('matches numbers typed with spaces or dashes, and additional lines', () => {
    expect(mobiles(visibleUsers(users, '+44777-666', byLast))).toEqual(['+44777666555']);
    expect(mobiles(visibleUsers(users, '4610555', byLast))).toEqual(['+8888']);
  });

  it('shows everyone for an empty or blank query', () => {
    expect(visibleUsers(users, '   ', byLast)).toHaveLength(4);
  });
});

describe('sort', () => {
  it('sorts by last name ignoring case, ties by number (ascending either way), and reverses', () => {
    expect(mobiles(visibleUsers(users, '', byLast))).toEqual(['+46701000001', '+44777666555', '+46701000003', '+8888']);
    expect(mobiles(visibleUsers(users, '', { key: 'lastName', descending: true }))).toEqual(['+8888', '+44777666555', '+46701000003', '+46701000001']);
  });

  it('sorts by status with compromised users first', () => {
    expect(visibleUsers(users, '', { key: 'status', descending: false })[0]!.mobile).toBe('+46701000001');
  });

  it('leaves the caller’s array in its order', () => {
    const before = mobiles(users);
    visibleUsers(users, '', { key: 'mobile', descending: true });
    expect(mobiles(users)).toEqual(before);
  });
});

describe('selection', () => {
  const order = ['a', 'b', 'c', 'd', 'e'];
  const none: Selection = { selected: new Set() };
  const sel = (s: Selection) => [...s.selected].sort();

  it('a plain click selects only that row and moves the anchor', () => {
    const s = clickSelection({ selected: new Set(['a', 'e']), anchor: 'a' }, order, 2, { range: false, toggle: false });
    expect(sel(s)).toEqual(['c']);
    expect(s.anchor).toBe('c');
  });

  it('shift-click selects the range from the anchor in either direction, keeping the anchor', () => {
    const first = clickSelection(none, order, 1, { range: false, toggle: false });
    const down = clickSelection(first, order, 3, { range: true, toggle: false });
    expect(sel(down)).toEqual(['b', 'c', 'd']);
    const up = clickSelection(down, order, 0, { range: true, toggle: false });
    expect(sel(up)).toEqual(['a', 'b']);
    expect(up.anchor).toBe('b');
  });

  it('ctrl-click toggles one row and keeps the rest; ctrl+shift adds a range to the selection', () => {
    let s = clickSelection(none, order, 0, { range: false, toggle: false });
    s = clickSelection(s, order, 2, { range: false, toggle: true });
    expect(sel(s)).toEqual(['a', 'c']);
    s = clickSelection(s, order, 0, { range: false, toggle: true });
    expect(sel(s)).toEqual(['c']);
    expect(s.anchor).toBe('a');
    s = clickSelection(clickSelection(s, order, 3, { range: false, toggle: true }), order, 4, { range: true, toggle: true });
    expect(sel(s)).toEqual(['c', 'd', 'e']);
    s = clickSelection(s, order, 1, { range: true, toggle: false });
    expect(sel(s)).toEqual(['b', 'c', 'd']);
  });

  it('shift-click without an anchor selects just the row', () => {
    expect(sel(clickSelection(none, order, 3, { range: true, toggle: false }))).toEqual(['d']);
  });

  it('forgets users that are gone', () => {
    const s = keepExisting({ selected: new Set(['+8888', '+1999']), anchor: '+1999' }, users);
    expect(sel(s)).toEqual(['+8888']);
    expect(s.anchor).toBeUndefined();
  });
});

describe('counts', () => {
  it('says how many are shown of how many, selected, and the licence limit when there is one', () => {
    expect(countsText(12, 10000, 3, 100)).toBe('12 of 10,000 users · 3 selected · limit 100');
    expect(countsText(10000, 10000, 0, null)).toBe('10,000 users · 0 selected');
    expect(countsText(1, 1, 1, null)).toBe('1 user · 1 selected');
  });
});
