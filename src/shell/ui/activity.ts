/**
 * Progress bars for long commands. Listens to the bridge's `kw-activity` events and shows
 * every running call that has reported progress, with a Cancel button.
 */
import { LitElement, css, html } from 'lit';
import type { Progress } from '../../kernel/api.js';
import { cancelCall, type ActivityDetail } from './bridge.js';
import { baseStyles } from './styles.js';

interface Running {
  callId: string;
  command: string;
  progress?: Progress;
}

export class KwActivity extends LitElement {
  static override properties = { calls: { state: true } };
  static override styles = [
    baseStyles,
    css`
      /* Floats under the header so it is seen whatever the view, without moving the page. */
      :host { position: fixed; top: 3.6rem; left: 50%; transform: translateX(-50%); width: min(40rem, 92vw); z-index: 900; }
      .call { box-shadow: 0 4px 14px rgb(0 0 0 / 0.15); display: grid; grid-template-columns: 1fr auto; gap: 0.25rem 0.75rem; align-items: center;
              background: var(--kw-surface); border: 1px solid var(--kw-border); border-radius: var(--kw-radius);
              padding: 0.6rem 0.8rem; margin-bottom: 0.5rem; }
      progress { width: 100%; height: 0.8rem; accent-color: var(--kw-accent); }
      .label { font-size: 0.9rem; color: var(--kw-muted); }
    `,
  ];
  declare calls: Running[];

  constructor() {
    super();
    this.calls = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('kw-activity', this.onActivity);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('kw-activity', this.onActivity);
    super.disconnectedCallback();
  }

  private onActivity = (e: Event) => {
    const d = (e as CustomEvent<ActivityDetail>).detail;
    if (d.phase === 'start') this.calls = [...this.calls, { callId: d.callId, command: d.command }];
    else if (d.phase === 'progress') this.calls = this.calls.map((c) => (c.callId === d.callId ? { ...c, progress: d.progress } : c));
    else this.calls = this.calls.filter((c) => c.callId !== d.callId);
  };

  override render() {
    const shown = this.calls.filter((c) => c.progress);
    return html`<div role="region" aria-label="Running commands">
      ${shown.map((c) => {
        const p = c.progress!;
        const label = p.message ?? c.command;
        return html`<div class="call">
          <progress max=${Math.max(p.total, 1)} value=${p.done} aria-label=${label}></progress>
          <button @click=${() => cancelCall(c.callId)}>Cancel</button>
          <span class="label">${label} — ${p.done} of ${p.total}</span>
        </div>`;
      })}
    </div>`;
  }
}
customElements.define('kw-activity', KwActivity);

declare global {
  interface HTMLElementTagNameMap {
    'kw-activity': KwActivity;
  }
  interface WindowEventMap {
    'kw-activity': CustomEvent<ActivityDetail>;
  }
}
