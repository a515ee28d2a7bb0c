/**
 * `kw-settings-view`: the Settings menu (manual, "CMS Parameters" and "Settings and compatibility").
 * Security Domain (read-only), CRS, Features and the log setting. Sub-menus (e.g. Licence) hang
 * below it in the navigation. Reloads `settings.get` after every change a section reports.
 */
import { LitElement, css, html } from 'lit';
import { baseStyles, invoke, notifyError } from '../../../src/shell/ui/index.js';
import type { SettingsView } from '../commands.js';

/** What `log.osSink` answers (the kernel's OS log copy). */
interface OsSinkState {
  on: boolean;
  sent: number;
  failed: number;
  lastError?: string;
}
const OS_LOG_NAME = navigator.userAgent.includes('Windows') ? 'Windows event log' : 'system log (syslog)';

export class KwSettingsView extends LitElement {
  static override properties = {
    settings: { state: true },
    securityDomain: { state: true },
    osSink: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host { display: block; max-width: 72rem; }
      section.card { margin-bottom: 1.25rem; padding: 1.25rem 1.5rem; }
      .os-sink { display: flex; gap: 0.5rem; align-items: center; font-weight: 600; margin: 0 0 0.4rem; }
      .os-sink input { width: 1.1rem; height: 1.1rem; margin: 0; accent-color: var(--kw-accent); }
    `,
  ];
  declare settings: SettingsView | undefined;
  declare securityDomain: string;
  declare osSink: OsSinkState | undefined;

  constructor() {
    super();
    this.settings = undefined;
    this.securityDomain = '';
    this.osSink = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('settings-changed', this.load);
    void this.load();
    invoke<{ securityDomain?: string }>('kernel.status').then((s) => (this.securityDomain = s.securityDomain ?? ''), notifyError);
    invoke<OsSinkState>('log.osSink').then((s) => (this.osSink = s), notifyError);
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

  private async switchOsSink(e: Event): Promise<void> {
    const on = (e.target as HTMLInputElement).checked;
    try {
      this.osSink = await invoke<OsSinkState>('log.setOsSink', { on });
    } catch (err) {
      notifyError(err);
    }
  }

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
        <label class="os-sink">
          <input type="checkbox" id="os-sink" .checked=${!!this.osSink?.on} ?disabled=${!this.osSink} @change=${this.switchOsSink} />
          Log to the OS event log
        </label>
        <span class="hint">Besides the internal event log, write each entry to the ${OS_LOG_NAME}.${this.osSink?.failed
          ? ` ${this.osSink.failed} could not be delivered${this.osSink.lastError ? `: ${this.osSink.lastError}` : ''}.`
          : ''}</span>
      </section>`;
  }
}
