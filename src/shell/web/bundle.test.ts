import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildUiBundle, entrySource, pluginUiEntries, PROJECT_ROOT } from './bundle.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyward-bundle-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('renderer bundle', () => {
  it('finds every plugins/<name>/ui/index.ts, in name order, and nothing else', () => {
    for (const [name, hasUi] of [['zeta', true], ['alpha', true], ['noui', false]] as const) {
      fs.mkdirSync(path.join(tmp, 'plugins', name, hasUi ? 'ui' : 'other'), { recursive: true });
      if (hasUi) fs.writeFileSync(path.join(tmp, 'plugins', name, 'ui', 'index.ts'), '');
    }
    fs.writeFileSync(path.join(tmp, 'plugins', 'index.ts'), '');
    expect(pluginUiEntries(tmp)).toEqual([path.join(tmp, 'plugins', 'alpha', 'ui', 'index.ts'), path.join(tmp, 'plugins', 'zeta', 'ui', 'index.ts')]);
    const entry = entrySource({ root: tmp, extraEntries: ['/x/fixture.ts'] }).trim().split('\n');
    expect(entry[0]).toContain('src/shell/ui/main.ts');
    expect(entry.slice(1)).toEqual([
      `import ${JSON.stringify(path.join(tmp, 'plugins', 'alpha', 'ui', 'index.ts'))};`,
      `import ${JSON.stringify(path.join(tmp, 'plugins', 'zeta', 'ui', 'index.ts'))};`,
      'import "/x/fixture.ts";',
    ]);
  });

  it('has no plugin entries when there is no plugins folder', () => {
    expect(pluginUiEntries(path.join(tmp, 'nowhere'))).toEqual([]);
  });

  it('builds the shell with the installed plugin UIs into a content-addressed cache folder', async () => {
    const bundle = await buildUiBundle();
    const js = bundle.files.get('app.js')!.toString();
    expect(js).toContain('customElements.define("kw-app"');
    // Each installed plugin UI is in, without the shell naming it.
    for (const ui of pluginUiEntries(PROJECT_ROOT)) expect(js).toContain(path.relative(PROJECT_ROOT, ui).split(path.sep).join('/'));
    expect(bundle.files.get('index.html')!.toString()).toContain('<script src="app.js" defer></script>');
    expect(bundle.files.get('app.css')!.toString()).toContain('--kw-font');
    for (const [name, data] of bundle.files) expect(fs.readFileSync(path.join(bundle.dir, name))).toEqual(data);
    expect(await buildUiBundle()).toBe(bundle);
  });
});
