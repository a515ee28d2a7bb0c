/**
 * The "also write to the OS log" switch (kernel commands `log.osSink`, `log.setOsSink`), shown in
 * the event log view and under Settings → Log settings. Fires `kw-os-sink-changed` once switched,
 * so a view can show the switch's own event-log record.
 */
import { LitElement, css, html } from 'lit';
import { invoke } from './bridge.js';
import { notifyError } from './notify.js';
import { baseStyles } from './styles.js';

/** What `log.osSink` answers: the switch and the delivery counts of the OS log copy. */
interface OsSinkState {
  on: boolean;
  sent: number;
  failed: number;
  lastError?: string;
}
const OS_LOG_NAME = navigator.userAgent.includes('Windows') ? 'Windows event log' : 'system log (syslog)';

export class KwOsLogSwitch extends LitElement {
  static override properties = { state: { state: true } };
  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      label { display: flex; gap: 0.5rem; align-items: center; }
      input { width: 1.1rem; height: 1.1rem; margin: 0; accent-color: var(--kw-accent); }
    `,
  ];
  declare state: OsSinkState | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    invoke<OsSinkState>('log.osSink').then((s) => (this.state = s), notifyError);
  }

  private async switch(e: Event): Promise<void> {
    const on = (e.target as HTMLInputElement).checked;
    try {
      this.state = await invoke<OsSinkState>('log.setOsSink', { on });
      this.dispatchEvent(new CustomEvent('kw-os-sink-changed', { bubbles: true, composed: true }));
    } catch (err) {
      notifyError(err);
    }
  }

  override render() {
    const s = this.state;
    return html`<label>
      <input type="checkbox" id="os-sink" .checked=${!!s?.on} ?disabled=${!s} @change=${this.switch} />
      Also write each entry to the ${OS_LOG_NAME}${s?.failed ? html` <span class="muted">(${s.failed} could not be delivered${s.lastError ? `: ${s.lastError}` : ''})</span>` : ''}
    </label>`;
  }
}
customElements.define('kw-os-log-switch', KwOsLogSwitch);

declare global {
  interface HTMLElementTagNameMap {
    'kw-os-log-switch': KwOsLogSwitch;
  }
}
