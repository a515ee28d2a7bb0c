/**
 * A test plugin whose collections change format over three versions, for upgrade.test.ts and its
 * crash child. `notes` v1 `{text}` → v2 `{body}` → v3 drops empty notes and counts `words`;
 * `tags` v1 `{label}` → v2 lower-case label. `notesPlugin(n)` is the code of version n.
 */
import type { CollectionSchema, Migration } from './api.js';
import { definePlugin } from './plugin.js';

const NOTES: Record<number, Migration> = {
  2: ({ text, ...doc }) => ({ ...doc, body: text }),
  3: (doc) => (doc.body === '' ? null : { ...doc, words: String(doc.body).split(/\s+/).length }),
};
const TAGS: Record<number, Migration> = { 2: (doc) => ({ ...doc, label: String(doc.label).toLowerCase() }) };

/** `wrap` lets a test change what a migration does (fail, or kill the process part-way). */
export function notesPlugin(version: 1 | 2 | 3, wrap: (m: Migration, name: string, v: number) => Migration = (m) => m) {
  const schema = (name: string, all: Record<number, Migration>, top: number): CollectionSchema => ({
    version: top,
    migrations: Object.fromEntries(Object.entries(all).filter(([v]) => Number(v) <= top).map(([v, m]) => [v, wrap(m, name, Number(v))])),
  });
  return definePlugin({
    id: 'notes',
    collections: { notes: schema('notes', NOTES, version), tags: schema('tags', TAGS, Math.min(version, 2)) },
    activate(ctx) {
      const notes = ctx.collections.open<Record<string, unknown>>('notes');
      const tags = ctx.collections.open<Record<string, unknown>>('tags');
      ctx.commands.register({
        id: 'notes.add',
        title: 'Add notes and tags (v1 form)',
        handler: async (args) => {
          const a = args as { notes: { _id: string; text: string }[]; tags: { _id: string; label: string }[] };
          await notes.insert(a.notes);
          await tags.insert(a.tags);
        },
      });
      ctx.commands.register({
        id: 'notes.all',
        title: 'Every note and tag as stored',
        audit: false,
        handler: async () => ({ notes: await notes.find({}).sort({ _id: 1 }), tags: await tags.find({}).sort({ _id: 1 }) }) as never,
      });
    },
  });
}

/** What the v1 data of {@link V1_DATA} reads as in version 3. */
export const V1_DATA = {
  notes: [
    { _id: 'n1', text: 'buy milk' },
    { _id: 'n2', text: '' },
    { _id: 'n3', text: 'call the CRS operator' },
  ],
  tags: [
    { _id: 't1', label: 'Home' },
    { _id: 't2', label: 'WORK' },
  ],
};
export const V3_DATA = {
  notes: [
    { _id: 'n1', body: 'buy milk', words: 2 },
    { _id: 'n3', body: 'call the CRS operator', words: 4 },
  ],
  tags: [
    { _id: 't1', label: 'home' },
    { _id: 't2', label: 'work' },
  ],
};
