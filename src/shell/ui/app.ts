/**
 * `kw-app`, the shell: asks the kernel its state and shows the install wizard, the unlock
 * form, or the navigation built from the menu registry with the chosen menu's element
 * mounted beside it. The route is the address's hash (`#/users`), so Back/Forward work.
 */
import { LitElement, css, html } from 'lit';
import type { MenuItem } from '../../kernel/api.js';
import { refreshCommandInfo } from './actions.js';
import { invoke } from './bridge.js';
import { clearErrors, notifyError } from './notify.js';
import { baseStyles } from './styles.js';

type KernelState = 'uninitialised' | 'locked' | 'ready';

interface Status {
  state: KernelState;
  securityDomain?: string;
  plugins?: { id: string; status: string; reason?: string }[];
  /** Config problems that do not stop Keyward. */
  warnings?: string[];
}

export class KwApp extends LitElement {
  static override properties = {
    status: { state: true },
    menus: { state: true },
    active: { state: true },
    failed: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host { display: flex; flex-direction: column; min-height: 100vh; }
      .skip { position: absolute; left: -999px; }
      .skip:focus { left: 1rem; top: 0.5rem; background: #fff; padding: 0.3rem 0.6rem; z-index: 10; }
      header { display: flex; align-items: baseline; gap: 1rem; padding: 0.7rem 1.25rem; background: #1d2b3a; color: #fff; }
      header .name { font-weight: 700; font-size: 1.1rem; letter-spacing: 0.02em; }
      header .domain { color: #c8d3df; }
      .layout { flex: 1; display: grid; grid-template-columns: 15rem 1fr; }
      nav { background: var(--kw-surface); border-right: 1px solid var(--kw-border); padding: 1rem 0; }
      nav ul { list-style: none; margin: 0; padding: 0; }
      nav ul ul a { padding-left: 2.25rem; font-size: 0.95rem; }
      nav a { display: block; padding: 0.45rem 1.25rem; color: var(--kw-text); text-decoration: none; border-left: 4px solid transparent; }
      nav a:hover { background: #eef1f4; }
      nav a[aria-current='page'] { border-left-color: var(--kw-accent); background: #e8f0fa; font-weight: 600; }
      main { padding: 1.5rem 2rem; min-width: 0; }
      .center { max-width: 30rem; margin: 4rem auto; }
      #problems ul { margin: 0; padding-left: 1.25rem; }
    `,
  ];
  declare status: Status | undefined;
  declare menus: MenuItem[];
  declare active: string;
  declare failed: string;
  /** The mounted view, kept while its menu stays selected. */
  private view?: { menuId: string; element: HTMLElement };

  constructor() {
    super();
    this.status = undefined;
    this.menus = [];
    this.active = '';
    this.failed = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHashChange);
    this.addEventListener('kw-state-changed', this.refresh);
    void this.refresh();
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this.onHashChange);
    this.removeEventListener('kw-state-changed', this.refresh);
    super.disconnectedCallback();
  }

  private refresh = async () => {
    refreshCommandInfo();
    try {
      const status = await invoke<Status>('kernel.status');
      if (status.state !== this.status?.state) clearErrors();
      this.menus = status.state === 'ready' ? await invoke<MenuItem[]>('kernel.menus') : [];
      this.status = status;
      this.failed = '';
      this.onHashChange();
    } catch (err) {
      this.failed = err instanceof Error ? err.message : String(err);
      notifyError(err);
    }
  };

  private onHashChange = () => {
    const wanted = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
    const known = this.menus.some((m) => m.id === wanted);
    const active = known ? wanted : (this.menus[0]?.id ?? '');
    if (this.active && active !== this.active) clearErrors();
    this.active = active;
  };

  override render() {
    return html`<a class="skip" href="#content" @click=${this.skipToContent}>Skip to content</a>
      <header>
        <span class="name">Keyward</span>
        ${this.status?.securityDomain ? html`<span class="domain">${this.status.securityDomain}</span>` : null}
      </header>
      ${this.renderBody()}
      <kw-activity></kw-activity>`;
  }

  private renderBody() {
    if (this.failed && !this.status) {
      return html`<div class="center card" role="alert"><h1>Keyward is not reachable</h1><p>${this.failed}</p>
        <button class="primary" @click=${this.refresh}>Try again</button></div>`;
    }
    switch (this.status?.state) {
      case undefined:
        return html`<p class="center muted">Loading…</p>`;
      case 'uninitialised':
        return html`<kw-wizard></kw-wizard>`;
      case 'locked':
        return html`<kw-unlock></kw-unlock>`;
      case 'ready':
        return html`<div class="layout">
          <nav aria-label="Main">${this.renderMenus(undefined)}</nav>
          <main id="content" tabindex="-1">${this.renderProblems()}${this.renderView()}</main>
        </div>`;
    }
  }

  /** One level of the menu tree: items whose parent is `parent`, each followed by its own sub-menu. */
  private renderMenus(parent: string | undefined): unknown {
    const items = this.menus.filter((m) => m.parent === parent || (parent === undefined && !this.menus.some((p) => p.id === m.parent)));
    if (!items.length) return null;
    return html`<ul>
      ${items.map(
        (m) => html`<li>
          <a href="#/${encodeURIComponent(m.id)}" data-menu=${m.id} aria-current=${m.id === this.active ? 'page' : 'false'}>${m.label}</a>
          ${this.renderMenus(m.id)}
        </li>`,
      )}
    </ul>`;
  }

  /** Plugins that did not start and config warnings: the administrator should know what is missing and why. */
  private renderProblems() {
    const broken = (this.status?.plugins ?? []).filter((p) => p.status === 'failed' || p.status === 'skipped');
    const warnings = this.status?.warnings ?? [];
    if (!broken.length && !warnings.length) return null;
    return html`<div class="notice bad" role="status" id="problems">
      <ul>
        ${broken.map((p) => html`<li>Plugin "${p.id}" ${p.status === 'failed' ? 'failed to start' : 'was skipped'}${p.reason ? `: ${p.reason}` : ''}</li>`)}
        ${warnings.map((w) => html`<li>${w}</li>`)}
      </ul>
    </div>`;
  }

  private renderView() {
    const menu = this.menus.find((m) => m.id === this.active);
    if (!menu) return html`<p class="muted">No views are installed.</p>`;
    if (!customElements.get(menu.element)) {
      return html`<h1>${menu.label}</h1><p class="notice bad">This view's interface (${menu.element}) is not part of the installed UI.</p>`;
    }
    if (this.view?.menuId !== menu.id) this.view = { menuId: menu.id, element: document.createElement(menu.element) };
    return this.view.element;
  }

  private skipToContent = (e: Event) => {
    e.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('#content')?.focus();
  };
}
customElements.define('kw-app', KwApp);

declare global {
  interface HTMLElementTagNameMap {
    'kw-app': KwApp;
  }
}
