/**
 * The manual's rules for user fields ("Add a single user", "Import user data"). Each check
 * returns the clean value or a reason; {@link fieldError} turns a reason into the command error.
 */
import { CommandError } from '../../src/kernel/index.js';

/** Field names as commands and import reports name them. */
export type UserField = 'firstName' | 'lastName' | 'mobile' | 'comment' | 'line';

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Manual: names and comment "must NOT contain any of the following characters: " , ' ; <tab>". */
const FORBIDDEN = /["',;\t]/;
/** Line breaks and other control characters would break the TSV line they are exported on. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** Limits of our own: enough for any real name or note, small enough for a letter and a list row. */
export const NAME_MAX = 100;
export const COMMENT_MAX = 500;

/** ITU-T E.164: "+", a country code that does not start with 0, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{0,14}$/;
/** What an administrator may type between digits: spaces (also no-break) and dashes (ASCII and Unicode). */
const SEPARATORS = /[\s\u00a0\u2010-\u2015-]/g;

/**
 * A first or last name or a comment: trimmed; no `" , ' ;`, tab or control character; at most
 * {@link NAME_MAX} (names) or {@link COMMENT_MAX} (comment) characters. May be empty here; whether
 * a name is required is {@link checkNames}' business.
 */
export function checkText(value: unknown, field: 'firstName' | 'lastName' | 'comment'): Checked<string> {
  if (value === undefined || value === null) return { ok: true, value: '' };
  if (typeof value !== 'string') return { ok: false, reason: 'must be text' };
  const text = value.trim().normalize('NFC');
  const bad = FORBIDDEN.exec(text);
  if (bad) return { ok: false, reason: `must not contain ${bad[0] === '\t' ? 'a tab' : bad[0]} (" , ' ; and tab are not allowed)` };
  if (CONTROL.test(text)) return { ok: false, reason: 'must not contain line breaks or control characters' };
  const max = field === 'comment' ? COMMENT_MAX : NAME_MAX;
  if ([...text].length > max) return { ok: false, reason: `must be at most ${max} characters` };
  return { ok: true, value: text };
}

/**
 * A phone number in international format: spaces and dashes are removed, then it must be "+" and
 * 1–15 digits with no 0 right after the "+" (E.164). Country numbering plans are not consulted:
 * private plans are real here (the manual's +44777666555, the gateway +8888).
 */
export function checkNumber(value: unknown): Checked<string> {
  if (typeof value !== 'string') return { ok: false, reason: 'must be text' };
  const n = value.replace(SEPARATORS, '');
  if (n === '') return { ok: false, reason: 'is required' };
  if (!n.startsWith('+')) return { ok: false, reason: 'must be in international format, starting with "+", e.g. +46706764287' };
  if (!/^\+\d+$/.test(n)) return { ok: false, reason: 'may hold only digits after the "+" (spaces and dashes are removed)' };
  if (n.length > 16) return { ok: false, reason: 'must have at most 15 digits (E.164)' };
  if (!E164.test(n)) return { ok: false, reason: 'must not have 0 right after the "+" (the country code comes first)' };
  return { ok: true, value: n };
}

/** The error a command fails with for a bad field: the message names the field and the reason. */
export function fieldError(field: UserField | string, reason: string): CommandError {
  return new CommandError('E_INVALID_FIELD', `${field}: ${reason}`, { field, reason });
}

/** `checked.value`, or throw {@link fieldError}. */
export function must<T>(checked: Checked<T>, field: UserField): T {
  if (!checked.ok) throw fieldError(field, checked.reason);
  return checked.value;
}

export interface UserFields {
  firstName: string;
  lastName: string;
  mobile: string;
  comment: string;
}

/** A user needs a first or a last name (the manual's example "Bob" has no last name). */
export function checkNames(firstName: string, lastName: string): Checked<true> {
  return firstName || lastName ? { ok: true, value: true } : { ok: false, reason: 'a first or a last name is required' };
}

/** Every field of a new user, or the first bad one as `E_INVALID_FIELD`. */
export function userFields(args: { firstName?: unknown; lastName?: unknown; mobile?: unknown; comment?: unknown }): UserFields {
  const firstName = must(checkText(args.firstName, 'firstName'), 'firstName');
  const lastName = must(checkText(args.lastName, 'lastName'), 'lastName');
  must(checkNames(firstName, lastName), 'firstName');
  return {
    firstName,
    lastName,
    mobile: must(checkNumber(args.mobile), 'mobile'),
    comment: must(checkText(args.comment, 'comment'), 'comment'),
  };
}
