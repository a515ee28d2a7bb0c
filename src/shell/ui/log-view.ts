/**
 * `kw-log-view`: the event log, a page at a time (time, actor, action, target), a
 * "Verify chain" button that runs `log.verify` and shows either "intact" or the first bad record,
 * and the log setting (manual, "Log settings"): also copy each entry to the OS log.
 */
import { LitElement, css, html } from 'lit';
import type { EventRecord, JsonObject, LogVerifyResult } from '../../kernel/api.js';
import { invoke } from './bridge.js';
import { notifyError } from './notify.js';
import './os-log-switch.js';
import { baseStyles } from './styles.js';

const PAGE_SIZE = 50;

export class KwLogView extends LitElement {
  static override properties = {
    offset: { state: true },
    total: { state: true },
    records: { state: true },
    verify: { state: true },
    verifying: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .toolbar { display: flex; gap: 0.75rem; align-items: center; justify-content: space-between; flex-wrap: wrap; margin-bottom: 0.75rem; }
      .os-sink { margin-bottom: 0.75rem; }
      .pager { display: flex; gap: 0.5rem; align-items: center; }
      td.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
      td.details { font-size: 0.85rem; color: var(--kw-muted); overflow-wrap: anywhere; }
    `,
  ];
  declare offset: number;
  declare total: number;
  declare records: EventRecord[] | undefined;
  declare verify: LogVerifyResult | undefined;
  declare verifying: boolean;

  constructor() {
    super();
    this.offset = 0;
    this.total = 0;
    this.records = undefined;
    this.verify = undefined;
    this.verifying = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load(0);
  }

  private async load(offset: number): Promise<void> {
    try {
      const page = await invoke<{ total: number; records: EventRecord[] }>('log.list', { offset, limit: PAGE_SIZE });
      this.offset = offset;
      this.total = page.total;
      this.records = page.records;
    } catch (err) {
      notifyError(err);
    }
  }

  private async runVerify(): Promise<void> {
    this.verifying = true;
    try {
      this.verify = await invoke<LogVerifyResult>('log.verify');
    } catch (err) {
      notifyError(err);
    } finally {
      this.verifying = false;
    }
  }

  override render() {
    const last = Math.min(this.offset + PAGE_SIZE, this.total);
    return html`<h1>Event log</h1>
      <div class="toolbar">
        <button id="verify" @click=${this.runVerify} ?disabled=${this.verifying}>${this.verifying ? 'Verifying…' : 'Verify chain'}</button>
        <div class="pager">
          <button id="prev" ?disabled=${this.offset === 0} @click=${() => this.load(Math.max(0, this.offset - PAGE_SIZE))}>Previous</button>
          <span>${this.total ? `${this.offset + 1}–${last} of ${this.total}` : 'No records'}</span>
          <button id="next" ?disabled=${last >= this.total} @click=${() => this.load(this.offset + PAGE_SIZE)}>Next</button>
        </div>
      </div>
      <kw-os-log-switch class="os-sink" @kw-os-sink-changed=${() => this.load(0) /* the switch itself is recorded */}></kw-os-log-switch>
      <div aria-live="polite">${this.renderVerify()}</div>
      ${this.records === undefined
        ? html`<p class="muted">Loading…</p>`
        : html`<table>
            <caption>Administrative actions, newest first</caption>
            <thead><tr><th scope="col">#</th><th scope="col">Time (UTC)</th><th scope="col">Actor</th><th scope="col">Action</th>
              <th scope="col">Target</th><th scope="col">Details</th></tr></thead>
            <tbody>
              ${this.records.map(
                (r) => html`<tr data-action=${r.action}>
                  <td>${r.seq}</td><td class="time">${formatTime(r.time)}</td><td>${r.actor}</td><td>${r.action}</td>
                  <td>${r.target ?? ''}</td><td class="details">${formatDetails(r.details)}</td>
                </tr>`,
              )}
            </tbody>
          </table>`}`;
  }

  private renderVerify() {
    const v = this.verify;
    if (!v) return null;
    if (v.ok) return html`<p class="notice ok" id="verify-result">Chain intact: ${records(v.records)} verified.</p>`;
    const seq = v.problem?.seq ?? '?';
    // The reason may itself start with "record N:"; say the number once.
    const reason = (v.problem?.reason ?? 'unknown problem').replace(new RegExp(`^record #?${seq}:\\s*`, 'i'), '');
    return html`<p class="notice bad" id="verify-result">Chain broken at record #${seq}: ${reason} (${records(v.records)} checked).</p>`;
  }
}
customElements.define('kw-log-view', KwLogView);

function records(n: number): string {
  return n === 1 ? '1 record' : `${n} records`;
}

function formatTime(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '');
}

function formatDetails(details: JsonObject | undefined): string {
  if (!details) return '';
  return Object.entries(details)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

declare global {
  interface HTMLElementTagNameMap {
    'kw-log-view': KwLogView;
  }
}
