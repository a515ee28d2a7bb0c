/**
 * `kw-settings-view`: the Settings menu (manual, "CMS Parameters" and "Settings and compatibility").
 * Security Domain (read-only), CRS, Features and the log setting. Sub-menus (e.g. Licence) hang
 * below it in the navigation. Reloads `settings.get` after every change a section reports.
 */
import { LitElement, css, html } from 'lit';
import { baseStyles, invoke, notifyError } from '../../../src/shell/ui/index.js';
import type { SettingsView } from '../commands.js';


export class KwSettingsView extends LitElement {
  static override properties = {
    settings: { state: true },
    securityDomain: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host { display: block; max-width: 72rem; }
      section.card { margin-bottom: 1.25rem; padding: 1.25rem 1.5rem; }
    `,
  ];
  declare settings: SettingsView | undefined;
  declare securityDomain: string;

  constructor() {
    super();
    this.settings = undefined;
    this.securityDomain = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('settings-changed', this.load);
    void this.load();
    invoke<{ securityDomain?: string }>('kernel.status').then((s) => (this.securityDomain = s.securityDomain ?? ''), notifyError);
  }

  override disconnectedCallback(): void {
    this.removeEventListener('settings-changed', this.load);
    super.disconnectedCallback();
  }

  private load = async () => {
    try {
      this.settings = await invoke<SettingsView>('settings.get');
    } catch (err) {
      notifyError(err);
    }
  };

  override render() {
    return html`<h1>Settings</h1>
      <section class="card" aria-labelledby="domain-heading">
        <h2 id="domain-heading">Security Domain</h2>
        <p><span class="mono" id="security-domain">${this.securityDomain}</span></p>
        <span class="hint">Identifies this CMS to calling and called users; it cannot be changed after installation.</span>
      </section>
      <section class="card" aria-labelledby="crs-heading">
        <h2 id="crs-heading">CRS</h2>
        <kw-crs-settings .settings=${this.settings}></kw-crs-settings>
      </section>
      <section class="card" aria-labelledby="features-heading">
        <h2 id="features-heading">Features</h2>
        <kw-feature-switches .settings=${this.settings}></kw-feature-switches>
      </section>
      <section class="card" aria-labelledby="log-heading">
        <h2 id="log-heading">Log settings</h2>
        <p class="hint">By default the CMS writes events to its internal event log only; it can also copy each one to the operating system's log.</p>
        <kw-os-log-switch></kw-os-log-switch>
      </section>`;
  }
}
