/**
 * `kw-member-list`: every user with a checkbox (member of the channel or not), rendering only
 * the rows in view (fixed row height inside a scroller), so thousands of users scroll smoothly.
 * Fires `toggle` (detail: {mobile, member}) when a box is clicked; the owner changes `members`.
 * Row positions are set through the CSSOM: the page's CSP refuses style attributes.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { baseStyles } from '../../../src/shell/ui/index.js';
import type { UserRow } from './types.js';

/** Row height in px, the same for every row: what makes the virtualisation arithmetic. */
const ROW_HEIGHT = 34;
/** Rows rendered beyond the visible ones, so fast scrolling shows no blank rows. */
const OVERSCAN = 8;

export interface MemberToggle {
  mobile: string;
  member: boolean;
}

export class KwMemberList extends LitElement {
  static override properties = {
    users: { attribute: false },
    members: { attribute: false },
    busy: { type: Boolean },
    first: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .scroller { position: relative; overflow-y: auto; height: 20rem; border: 1px solid var(--kw-border); border-radius: var(--kw-radius);
                  background: var(--kw-surface); contain: strict; }
      .spacer { position: relative; }
      label.row { position: absolute; left: 0; right: 0; height: ${ROW_HEIGHT}px; box-sizing: border-box; margin: 0; padding: 0 0.6rem;
                  display: flex; gap: 0.6rem; align-items: center; font-weight: normal; border-bottom: 1px solid #e2e6ea; cursor: pointer; }
      label.row:hover { background: #f3f6f9; }
      .name { flex: 1; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
      .num { font-variant-numeric: tabular-nums; color: var(--kw-muted); }
      .empty { padding: 1rem; color: var(--kw-muted); }
      input[type='checkbox'] { width: 1rem; height: 1rem; margin: 0; accent-color: var(--kw-accent); }
    `,
  ];
  declare users: UserRow[];
  declare members: ReadonlySet<string>;
  declare busy: boolean;
  declare first: number;
  private frame = 0;

  constructor() {
    super();
    this.users = [];
    this.members = new Set();
    this.busy = false;
    this.first = 0;
  }

  override disconnectedCallback(): void {
    cancelAnimationFrame(this.frame);
    super.disconnectedCallback();
  }

  private get scroller(): HTMLElement | null {
    return this.renderRoot.querySelector('.scroller');
  }

  protected override updated(changed: PropertyValues<this>): void {
    const spacer = this.renderRoot.querySelector<HTMLElement>('.spacer');
    if (spacer) spacer.style.height = `${this.users.length * ROW_HEIGHT}px`;
    for (const row of this.renderRoot.querySelectorAll<HTMLElement>('label.row[data-index]')) {
      row.style.top = `${Number(row.dataset.index) * ROW_HEIGHT}px`;
    }
    if (changed.has('users')) {
      // A new search starts at the top.
      if (this.scroller) this.scroller.scrollTop = 0;
      this.first = 0;
    }
  }

  private onScroll = () => {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => (this.first = Math.floor((this.scroller?.scrollTop ?? 0) / ROW_HEIGHT)));
  };

  override render() {
    const n = this.users.length;
    const visible = Math.ceil((this.scroller?.clientHeight || 640) / ROW_HEIGHT);
    const from = Math.max(0, this.first - OVERSCAN);
    const to = Math.min(n, this.first + visible + OVERSCAN);
    return html`<div class="scroller" role="group" aria-label="Users with access to the channel" @scroll=${this.onScroll}>
      ${n === 0 ? html`<p class="empty">No users match.</p>` : null}
      <div class="spacer">
        ${this.users.slice(from, to).map((u, k) => {
          const member = this.members.has(u.mobile);
          return html`<label class="row" data-index=${from + k} data-mobile=${u.mobile}>
            <input type="checkbox" .checked=${member} ?disabled=${this.busy} data-mobile=${u.mobile}
              @change=${(e: Event) => this.toggle(e, u.mobile)} />
            <span class="name">${[u.firstName, u.lastName].filter(Boolean).join(' ')}</span>
            <span class="num">${u.mobile}</span>
          </label>`;
        })}
      </div>
    </div>`;
  }

  private toggle(e: Event, mobile: string): void {
    const box = e.target as HTMLInputElement;
    const member = box.checked;
    // The box shows the stored membership; the owner changes it once the command succeeds.
    box.checked = this.members.has(mobile);
    this.dispatchEvent(new CustomEvent<MemberToggle>('toggle', { detail: { mobile, member } }));
  }
}
