/**
 * `kw-user-details`: the manual's "User details" for one user (set `mobile` to open it):
 * editable names and comment, additional lines, this month's PUK, the QR code key, the user's
 * channels when present (toggled in the channels plugin's `kw-user-channels`), and whether the
 * keys were destroyed. Fires `user-changed` (detail: the new UserSummary) after a save or a line
 * change, and `close` when closed.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { baseStyles, confirm, invoke, notify, notifyError } from '../../../src/shell/ui/index.js';
import { fieldProblem } from './field-error.js';
import type { FieldProblem, UserDetails, UserSummary } from './types.js';

const EDITABLE = [
  { id: 'firstName', label: 'First name' },
  { id: 'lastName', label: 'Last name' },
  { id: 'comment', label: 'Comment' },
] as const;

/** Long keys in groups of four, so they can be read out or typed without losing the place. */
function grouped(text: string): string {
  return text.replace(/(.{4})(?=.)/g, '$1 ');
}

/** ISO 8601 UTC as "2026-11-25 17:46 UTC". */
function when(iso: string): string {
  return iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
}

export class KwUserDetails extends LitElement {
  static override properties = {
    mobile: { type: String },
    user: { state: true },
    problem: { state: true },
    lineProblem: { state: true },
    dirty: { state: true },
    busy: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host { display: contents; }
      .edit { display: grid; grid-template-columns: 1fr 1fr; gap: 0 0.75rem; }
      .edit .wide { grid-column: 1 / -1; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.4rem 1rem; margin: 0 0 1rem; }
      dt { font-weight: 600; }
      dd { margin: 0; overflow-wrap: anywhere; }
      .num { font-variant-numeric: tabular-nums; }
      .puk { font-family: var(--kw-mono); font-size: 1.2rem; font-weight: 700; letter-spacing: 0.08em; }
      .key { font-family: var(--kw-mono); }
      .bad { color: var(--kw-danger); font-weight: 600; }
      section { border-top: 1px solid #e2e6ea; padding-top: 0.75rem; }
      .hint { margin-top: 0; }
      ul.lines { list-style: none; padding: 0; margin: 0 0 0.5rem; }
      ul.lines li { display: flex; justify-content: space-between; align-items: center; padding: 0.15rem 0; }
      .add-line { display: flex; gap: 0.5rem; align-items: flex-start; }
      .add-line > div { flex: 1; }
    `,
  ];
  declare mobile: string | undefined;
  declare user: UserDetails | undefined;
  declare problem: FieldProblem | undefined;
  declare lineProblem: FieldProblem | undefined;
  declare dirty: boolean;
  declare busy: boolean;

  constructor() {
    super();
    this.mobile = undefined;
    this.user = undefined;
    this.problem = undefined;
    this.lineProblem = undefined;
    this.dirty = false;
    this.busy = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('mobile')) {
      this.user = undefined;
      this.problem = this.lineProblem = undefined;
      this.dirty = false;
      if (this.mobile) void this.load(this.mobile);
    }
  }

  private async load(mobile: string): Promise<void> {
    try {
      const user = await invoke<UserDetails>('users.show', { mobile });
      if (this.mobile === mobile) this.user = user;
    } catch (err) {
      notifyError(err);
      this.close();
    }
  }

  override render() {
    const u = this.user;
    const heading = u ? `${u.firstName} ${u.lastName}` : 'User details';
    return html`<kw-dialog .heading=${heading} ?open=${!!this.mobile} @close=${this.close}>
      ${u ? this.renderUser(u) : html`<p class="muted">Loading…</p>`}
      <button slot="actions" id="details-close" @click=${this.close}>Close</button>
      ${u
        ? html`<button slot="actions" class="primary" id="details-save" type="submit" form="details-form" ?disabled=${!this.dirty || this.busy}>
            Save</button>`
        : null}
    </kw-dialog>`;
  }

  private renderUser(u: UserDetails) {
    return html`<form class="edit" id="details-form" @submit=${this.save} @input=${() => (this.dirty = true)} novalidate>
        ${EDITABLE.map((f) => {
          const bad = this.problem?.field === f.id;
          return html`<div class="field ${f.id === 'comment' ? 'wide' : ''}">
            <label for="d-${f.id}">${f.label}</label>
            <input id="d-${f.id}" name=${f.id} .value=${u[f.id]} autocomplete="off" aria-invalid=${bad ? 'true' : 'false'}
              aria-describedby=${bad ? `d-${f.id}-error` : ''} />
            ${bad ? html`<span class="error-text" id="d-${f.id}-error" role="alert">${this.problem!.reason}</span>` : null}
          </div>`;
        })}
      </form>
      <dl>
        <dt>Mobile number</dt><dd class="num" id="details-mobile">${u.mobile}</dd>
        <dt>Status</dt>
        <dd id="details-status">${u.compromised
          ? html`<span class="bad">Compromised</span>${u.compromisedAt ? ` since ${when(u.compromisedAt)}` : ''} — the keys were
              destroyed and the device cannot rekey. The user needs a new initiation letter.`
          : 'Active'}</dd>
        <dt>Added</dt><dd>${when(u.createdAt)}</dd>
        <dt>Keys for</dt><dd class="num">${u.keyPeriods.join(', ') || 'no months'}</dd>
        <dt>PUK (${u.period})</dt>
        <dd><span class="puk" id="details-puk">${u.puk}</span>
          <span class="hint">Unlocks the messages view in Cryptify Call when the user has forgotten the PIN. Note that the PUK changes every month.</span></dd>
        ${u.qrCodeKey
          ? html`<dt>QR code key</dt><dd><span class="key" id="details-qr-key">${grouped(u.qrCodeKey)}</span>
              <span class="hint">Entered by the user after scanning the initiation letter's QR code.</span></dd>`
          : null}
        <dt>Initiation QR code</dt><dd><kw-user-qr .mobile=${u.mobile}></kw-user-qr></dd>
        ${u.channels
          ? html`<dt>Channels</dt><dd id="details-channels"><kw-user-channels .mobile=${u.mobile} .channels=${u.channels}></kw-user-channels></dd>`
          : null}
      </dl>
      <section aria-labelledby="lines-h">
        <h3 id="lines-h">Additional lines</h3>
        <p class="hint">Extra numbers for teleconference calls from Cryptify Call for Windows, each with its own monthly keys.</p>
        ${u.lines.length
          ? html`<ul class="lines" id="details-lines">${u.lines.map(
              (l) => html`<li data-line=${l}><span class="num">${l}</span>
                <button class="link" @click=${() => this.removeLine(l)} aria-label="Remove line ${l}">Remove</button></li>`,
            )}</ul>`
          : html`<p class="muted" id="details-no-lines">No additional lines.</p>`}
        <form class="add-line" @submit=${this.addLine} novalidate>
          <div>
            <input id="d-line" aria-label="New additional line" placeholder="+46706764287" inputmode="tel" autocomplete="off" aria-invalid=${this.lineProblem ? 'true' : 'false'}
              aria-describedby=${this.lineProblem ? 'd-line-error' : ''} @input=${() => (this.lineProblem = undefined)} />
            ${this.lineProblem ? html`<span class="error-text" id="d-line-error" role="alert">${this.lineProblem.reason}</span>` : null}
          </div>
          <button id="details-add-line" type="submit" ?disabled=${this.busy}>Add line</button>
        </form>
      </section>`;
  }

  private value(id: string): string {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)!.value.trim();
  }

  private save = async (e: Event) => {
    e.preventDefault();
    const u = this.user;
    if (!u) return;
    await this.change(
      () => invoke<UserSummary>('users.update', {
        mobile: u.mobile,
        firstName: this.value('d-firstName'),
        lastName: this.value('d-lastName'),
        comment: this.value('d-comment'),
      }),
      (err) => {
        const problem = fieldProblem(err, 'mobile');
        this.problem = EDITABLE.some((f) => f.id === problem?.field) ? problem : undefined;
        return !!this.problem;
      },
      'Saved.',
    );
  };

  private addLine = async (e: Event) => {
    e.preventDefault();
    const u = this.user;
    if (!u) return;
    const line = this.value('d-line');
    const added = await this.change(
      () => invoke<UserSummary>('users.addLine', { mobile: u.mobile, line }),
      (err) => {
        this.lineProblem = fieldProblem(err, 'line');
        return !!this.lineProblem;
      },
      (summary) => `Line ${summary.lines.find((l) => !u.lines.includes(l)) ?? line} added; its keys were generated.`,
    );
    if (added) this.renderRoot.querySelector<HTMLInputElement>('#d-line')!.value = '';
  };

  private async removeLine(line: string): Promise<void> {
    const u = this.user;
    if (!u) return;
    const ok = await confirm({
      title: `Remove line ${line}?`,
      message: `The line ${line} and its keys are removed from ${u.firstName} ${u.lastName}.`,
      confirmLabel: 'Remove line',
    });
    if (ok) await this.change(() => invoke<UserSummary>('users.removeLine', { mobile: u.mobile, line }), () => false, `Line ${line} removed.`);
  }

  /** Run an edit, merge the new summary into what is shown and tell the list; field refusals go inline. */
  private async change(
    run: () => Promise<UserSummary>,
    inline: (err: unknown) => boolean,
    success: string | ((summary: UserSummary) => string),
  ): Promise<boolean> {
    this.busy = true;
    try {
      const summary = await run();
      if (this.user) this.user = { ...this.user, ...summary };
      this.problem = this.lineProblem = undefined;
      this.dirty = false;
      notify(typeof success === 'string' ? success : success(summary));
      this.dispatchEvent(new CustomEvent<UserSummary>('user-changed', { detail: summary, bubbles: true, composed: true }));
      return true;
    } catch (err) {
      if (!inline(err)) notifyError(err);
      return false;
    } finally {
      this.busy = false;
    }
  }

  private close = () => {
    if (!this.mobile) return;
    this.mobile = undefined;
    this.dispatchEvent(new CustomEvent('close'));
  };
}
