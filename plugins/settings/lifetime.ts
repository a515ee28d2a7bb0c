/**
 * Message lifetime bounds and the duration notation the CLI and the Settings view share
 * ("30d", "12h", "90m", "3600s"). Imports nothing, so the UI bundle can use it.
 */

/** The manual: a sender may pick any lifetime "between 1 hour and" the maximum. */
export const MESSAGE_LIFETIME_MIN_SECONDS = 3600;
/**
 * Keyward's upper bound for the maximum: 365 days. The manual names none; a year is far beyond any
 * expiry policy an organisation sets, and keeps the value well inside a 32-bit signed integer of
 * seconds for clients that store it so.
 */
export const MESSAGE_LIFETIME_MAX_SECONDS = 365 * 86_400;

export const DURATION_UNITS = { d: 86_400, h: 3600, m: 60, s: 1 } as const;
export type DurationUnit = keyof typeof DURATION_UNITS;

/** "30d" → 2592000; undefined when the text is not a whole number followed by d, h, m or s. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d{1,9})\s*([dhms])\s*$/i.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * DURATION_UNITS[m[2]!.toLowerCase() as DurationUnit];
}

/** Seconds in the largest unit that divides them: 2592000 → "30d", 43200 → "12h", 5400 → "90m". */
export function formatDuration(seconds: number): string {
  for (const unit of ['d', 'h', 'm'] as const) {
    if (seconds > 0 && seconds % DURATION_UNITS[unit] === 0) return `${seconds / DURATION_UNITS[unit]}${unit}`;
  }
  return `${seconds}s`;
}

/** In words for people: "30 days", "12 hours", "1 hour 30 minutes". */
export function describeDuration(seconds: number): string {
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, name] of [['d', 'day'], ['h', 'hour'], ['m', 'minute'], ['s', 'second']] as const) {
    const n = Math.floor(rest / DURATION_UNITS[unit]);
    rest -= n * DURATION_UNITS[unit];
    if (n) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  return parts.join(' ') || '0 seconds';
}
