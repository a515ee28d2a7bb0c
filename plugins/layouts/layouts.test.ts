import fs from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Kernel, createTestKernel, definePlugin, type EventRecord, type JsonValue } from '../../src/kernel/index.js';
import { defaultLayout } from '../../layouts/index.js';
import layoutsPlugin from './index.js';
import { ILayouts, type Layout, type LayoutInfo, type RenderResult } from './tokens.js';
import { SAMPLE_DATA, SAMPLE_NOW, type LetterData } from './variables.js';

/** The ILayouts of the kernel activated last (set by the contributor below). */
let current: ILayouts;

/** Stands in for the letters plugin: contributes layouts the way any plugin does, and uses ILayouts. */
const contributor = definePlugin({
  id: 'sample',
  requires: { layouts: ILayouts },
  activate(ctx, { layouts }) {
    ctx.layouts.register({ id: 'sample.certificate', label: 'Domain certificate', ...defaultLayout('domain-certificate') });
    ctx.layouts.register({ id: 'sample.letter', label: 'Sample letter', ...defaultLayout('user-initiation') });
    ctx.layouts.register({
      id: 'sample.tiny',
      label: 'Tiny',
      template: '<p>{{field "intro"}}</p><p>$URI $MMMM {{uri}}</p>{{qr "user"}}',
      fields: { intro: 'Dear $FULLNAME', closing: 'Bye' },
    });
    current = layouts;
  },
});
const PLUGINS = [layoutsPlugin, contributor];

let qrUrl: string;
beforeAll(async () => {
  qrUrl = await QRCode.toDataURL('test payload', { errorCorrectionLevel: 'M' });
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function start() {
  const t = await createTestKernel({ plugins: PLUGINS });
  cleanups.push(t.cleanup);
  const run = <R>(id: string, args?: JsonValue) => t.kernel.commands.execute(id, args) as Promise<R>;
  return { ...t, run };
}

const data = (over: Partial<LetterData> = {}): LetterData => ({ ...SAMPLE_DATA, qr: { user: qrUrl }, ...over });

describe('layouts plugin', () => {
  it('lists the registered layouts with their default fields', async () => {
    const { run } = await start();
    const list = await run<LayoutInfo[]>('layouts.list');
    expect(list.map((l) => [l.id, l.label, l.custom])).toEqual([
      ['sample.certificate', 'Domain certificate', false],
      ['sample.letter', 'Sample letter', false],
      ['sample.tiny', 'Tiny', false],
    ]);
    expect(list[2]!.fields).toEqual({ intro: 'Dear $FULLNAME', closing: 'Bye' });
    expect(list[0]).not.toHaveProperty('template');
    const shown = await run<Layout>('layouts.show', { id: 'sample.letter' });
    expect(shown.template).toBe(defaultLayout('user-initiation').template);
    await expect(run('layouts.show', { id: 'nope' })).rejects.toMatchObject({ code: 'E_UNKNOWN_LAYOUT', message: expect.stringContaining('sample.letter') });
    await expect(run('layouts.show', {})).rejects.toMatchObject({ code: 'E_INVALID_ARGS', details: { field: 'id' } });
  });

  it('renders with the variables expanded in the template and the fields, the data, and the QR code', async () => {
    await start();
    const layouts = current;
    const out = layouts.render('sample.tiny', data({ uri: 'tel:+46001' }), { now: SAMPLE_NOW });
    expect(out).toEqual({
      html: `<p>Dear John Göran Smith</p><p>+46001 September tel:+46001</p><img class="qr" data-qr="user" src="${qrUrl}" alt="QR code">`,
      warnings: [],
    });
  });

  it('escapes values from the data and the variables; a value holding Handlebars or $WORDs stays text', async () => {
    await start();
    const layouts = current;
    const evil = '<script>x</script> {{qr "user"}} $URI';
    const out = layouts.render('sample.tiny', data({ person: { firstName: evil, lastName: '"&' }, uri: '<b>' }), { now: SAMPLE_NOW });
    expect(out.html).toContain('<p>Dear &lt;script&gt;x&lt;/script&gt; {{qr &quot;user&quot;}} $URI &quot;&amp;</p>');
    expect(out.html).toContain('<p>&lt;b&gt; September &lt;b&gt;</p>');
    expect(out.html.match(/<img/g)).toHaveLength(1);
    expect(out.warnings).toEqual([]);
    // A QR "code" that is not an image data: URL never reaches the page.
    expect(() => layouts.render('sample.tiny', data({ qr: { user: 'javascript:alert(1)' } }))).toThrow(/QR code "user" is not an image/);
  });

  it('warns about unknown $WORDs (left as written), missing fields and QR codes', async () => {
    const { run } = await start();
    const preview = await run<RenderResult>('layouts.preview', {
      id: 'sample.tiny',
      template: '<p>$FULNAME</p>\n{{field "intro"}} {{field "nope"}}\n<i>$MMMMM {{qr "other"}}</i>',
      fields: { intro: 'Hi $FIRSTNAME $SURNAM' },
    });
    expect(preview.html).toContain('<p>$FULNAME</p>');
    expect(preview.html).toContain('Hi John $SURNAM');
    expect(preview.html).toContain('<i>$MMMMM <img class="qr" data-qr="other" src="data:image/png;base64,');
    expect(preview.warnings).toEqual([
      'Unknown variable $FULNAME in the template, line 1 (left as written).',
      'Unknown variable $MMMMM in the template, line 3 (left as written).',
      'Unknown variable $SURNAM in field "intro" (left as written).',
      'The template shows field "nope", which this layout does not have.',
    ]);
    await start();
    const layouts = current;
    expect(layouts.render('sample.tiny', data({ qr: {} })).warnings).toEqual(['There is no QR code "user" for this layout.']);
  });

  it('previews unsaved changes with the manual\'s sample data, saving nothing', async () => {
    const { run } = await start();
    const preview = await run<RenderResult>('layouts.preview', { id: 'sample.tiny', fields: { intro: '$SINGLEDAY$DAYSUFFIX $12HOURS$AMPM $ZZ' } });
    expect(preview.html).toMatch(/^<p>7th 08PM \+02<\/p><p>\+46001 September \+46001<\/p><img /);
    expect((await run<Layout>('layouts.show', { id: 'sample.tiny' })).custom).toBe(false);
  });

  it('refuses a template that does not parse or render, naming the line, and keeps the old one', async () => {
    const { run } = await start();
    const bad = [
      ['<p>\n{{#if uri}}\n</p>', /^template, line \d+: /],
      ['<p>\n\n{{field "intro"</p>', /^template, line 3: Parse error/],
      ['<p>{{nohelper uri}}</p>', /^template: Missing helper: "nohelper"/],
    ] as const;
    for (const [template, message] of bad) {
      await expect(run('layouts.set', { id: 'sample.tiny', template }), template).rejects.toMatchObject({
        code: 'E_INVALID_LAYOUT',
        message: expect.stringMatching(message),
        details: { field: 'template' },
      });
      await expect(run('layouts.preview', { id: 'sample.tiny', template })).rejects.toMatchObject({ code: 'E_INVALID_LAYOUT' });
    }
    for (const [args, field] of [
      [{ id: 'sample.tiny', template: 42 }, 'template'],
      [{ id: 'sample.tiny', fields: { intro: 7 } }, 'fields.intro'],
      [{ id: 'sample.tiny', fields: { 'bad name': 'x' } }, 'fields.bad name'],
      [{ id: 'sample.tiny', fields: ['x'] }, 'fields'],
    ] as const) {
      await expect(run('layouts.set', args as unknown as JsonValue)).rejects.toMatchObject({ code: 'E_INVALID_ARGS', details: { field } });
    }
    const shown = await run<Layout>('layouts.show', { id: 'sample.tiny' });
    expect(shown).toMatchObject({ custom: false, fields: { intro: 'Dear $FULLNAME', closing: 'Bye' } });
  });

  it('saves a custom layout in the vault, keeps it across a restart, records the change, and resets to the default', async () => {
    const { kernel, dataDir, passphrase, run } = await start();
    const set = await run<Layout>('layouts.set', { id: 'sample.tiny', fields: { intro: 'Hello $FIRSTNAME' } });
    expect(set).toMatchObject({ custom: true, fields: { intro: 'Hello $FIRSTNAME', closing: 'Bye' } });
    await run('layouts.set', { id: 'sample.tiny', template: '<h1>{{field "intro"}}, $LASTNAME</h1>' });
    // Encrypted at rest: the text is not in the file.
    expect(fs.readFileSync(path.join(dataDir, 'layouts.db'), 'utf8')).not.toContain('Hello');

    await kernel.stop();
    const reopened = await Kernel.create({ dataDir, plugins: PLUGINS });
    cleanups.push(() => reopened.stop());
    await reopened.commands.execute('kernel.unlock', { passphrase });
    const layouts = current;
    expect(layouts.get('sample.tiny')).toMatchObject({ custom: true, template: '<h1>{{field "intro"}}, $LASTNAME</h1>' });
    expect(layouts.render('sample.tiny', data(), { now: SAMPLE_NOW }).html).toBe('<h1>Hello John, Smith</h1>');
    expect(layouts.list().find((l) => l.id === 'sample.tiny')?.custom).toBe(true);

    const log = (await reopened.commands.execute('log.list', { limit: 100 })) as unknown as { records: EventRecord[] };
    const changes = log.records.filter((r) => r.action.startsWith('layouts.'));
    expect(changes.map((r) => [r.action, r.target, r.details])).toEqual([
      ['layouts.set', 'sample.tiny', { template: true, fields: [] }],
      ['layouts.set', 'sample.tiny', { template: false, fields: ['intro'] }],
    ]);

    const reset = (await reopened.commands.execute('layouts.reset', { id: 'sample.tiny' })) as unknown as Layout;
    expect(reset).toMatchObject({ custom: false, fields: { intro: 'Dear $FULLNAME' }, template: expect.stringContaining('{{field "intro"}}') });
    expect(layouts.render('sample.tiny', data(), { now: SAMPLE_NOW }).html).toMatch(/^<p>Dear John Göran Smith<\/p>/);
  });

  it('keeps only what differs from the default: setting the default text back is no custom layout', async () => {
    const { run } = await start();
    await run('layouts.set', { id: 'sample.tiny', fields: { intro: 'Other' } });
    const back = await run<Layout>('layouts.set', { id: 'sample.tiny', fields: { intro: 'Dear $FULLNAME' } });
    expect(back.custom).toBe(false);
  });

  it('renders each default layout from layouts/ with the manual\'s sample, without warnings, saying what the page holds', async () => {
    const { run } = await start();
    const layouts = current;
    const qr = { user: qrUrl, gateway: qrUrl, certificate: qrUrl };
    const letter = layouts.render('sample.letter', data({ qr }), { now: SAMPLE_NOW });
    expect(letter.warnings).toEqual([]);
    expect(letter.html).toContain('CONTAINS PRIVATE KEYS');
    expect(letter.html).toContain('Dear John Göran Smith,');
    expect(letter.html).toContain('Issued on 7th September 2013 at 20:23 (+02:00) by domain.example.net.');
    expect(letter.html).not.toMatch(/\$[A-Z]/);
    const cert = layouts.render('sample.certificate', data({ qr, rows: ['ROW-1'] }), { now: SAMPLE_NOW });
    expect(cert.warnings).toEqual([]);
    expect(cert.html).toContain('E3B0 C442 98FC 1C14 9AFB F4C8 996F B924 27AE 41E4 649B 934C A495 991B 7852 B855');
    expect(cert.html).toContain('<td>ROW-1</td>');
    for (const name of ['gateway-initiation'] as const) {
      const { template, fields } = defaultLayout(name);
      const preview = await run<RenderResult>('layouts.preview', { id: 'sample.tiny', template, fields });
      expect(preview.warnings, name).toEqual([]);
      expect(preview.html).toContain('CONTAINS PRIVATE KEYS');
    }
  });
});
