/**
 * `kw-user-grid`: the user list as an ARIA grid that renders only the rows in view (fixed
 * row height inside a scroller), so 10,000+ users scroll as smoothly as ten. It shows and
 * reports; the selection and order belong to the view (events `row-click`, `sort`, `open`).
 * Positions are set through the CSSOM after each render: the page's CSP refuses style attributes.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { baseStyles } from '../../../src/shell/ui/index.js';
import type { Sort, SortKey } from './list-model.js';
import type { UserSummary } from './types.js';

/** Row height in px; every row has it exactly, which is what makes the arithmetic virtualisation work. */
export const ROW_HEIGHT = 36;
/** Rows rendered above and below the visible ones, so fast scrolling does not flash blank rows. */
const OVERSCAN = 8;

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'lastName', label: 'Last name' },
  { key: 'firstName', label: 'First name' },
  { key: 'mobile', label: 'Mobile number' },
  { key: 'comment', label: 'Comment' },
  { key: 'status', label: 'Status' },
];

/** Detail of `row-click`. */
export interface RowClick {
  index: number;
  range: boolean;
  toggle: boolean;
}

export class KwUserGrid extends LitElement {
  static override properties = {
    users: { attribute: false },
    selected: { attribute: false },
    sort: { attribute: false },
    active: { type: Number },
    emptyText: { type: String },
    first: { state: true },
    viewport: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .grid { border: 1px solid var(--kw-border); border-radius: var(--kw-radius); background: var(--kw-surface); outline: none; }
      .grid:focus-visible { outline: 3px solid var(--kw-focus); outline-offset: 2px; }
      .row { display: grid; grid-template-columns: 2.5rem minmax(6rem, 1fr) minmax(6rem, 1fr) 11rem minmax(6rem, 1.5fr) 9.5rem;
             align-items: center; height: ${ROW_HEIGHT}px; box-sizing: border-box; border-bottom: 1px solid #e2e6ea; }
      .row > * { padding: 0 0.6rem; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
      .head { background: #eef1f4; font-weight: 600; border-bottom-color: var(--kw-border); }
      .head button { all: unset; cursor: pointer; display: flex; gap: 0.3rem; align-items: center; width: 100%; }
      .head button:focus-visible { outline: 3px solid var(--kw-focus); }
      .arrow { color: var(--kw-muted); font-size: 0.8rem; }
      .scroller { position: relative; overflow-y: auto; height: var(--kw-grid-height, calc(100vh - 24.5rem)); min-height: 12rem; contain: strict; }
      .spacer { position: relative; }
      .body .row { position: absolute; left: 0; right: 0; cursor: default; user-select: none; }
      .body .row:hover { background: #f3f6f9; }
      .body .row[aria-selected='true'] { background: #dce9f8; }
      .grid:focus .body .row.active { box-shadow: inset 3px 0 0 var(--kw-accent); }
      .num { font-variant-numeric: tabular-nums; }
      .lines { color: var(--kw-muted); font-size: 0.85rem; margin-left: 0.3rem; }
      .badge { display: inline-block; padding: 0 0.5rem; border-radius: 999px; font-size: 0.85rem; line-height: 1.5rem; }
      .badge.ok { background: #eef7f0; color: var(--kw-success); }
      .badge.bad { background: #fbeeee; color: var(--kw-danger); font-weight: 600; }
      .empty { padding: 1rem; color: var(--kw-muted); }
      input[type='checkbox'] { width: 1rem; height: 1rem; margin: 0; accent-color: var(--kw-accent); }
    `,
  ];
  declare users: UserSummary[];
  declare selected: ReadonlySet<string>;
  declare sort: Sort;
  /** Index of the keyboard cursor row. */
  declare active: number;
  /** Shown instead of rows when there are none. */
  declare emptyText: string;
  declare first: number;
  declare viewport: number;
  private resize?: ResizeObserver;
  private frame = 0;

  constructor() {
    super();
    this.users = [];
    this.selected = new Set();
    this.sort = { key: 'lastName', descending: false };
    this.active = 0;
    this.emptyText = 'No users.';
    this.first = 0;
    this.viewport = 600;
  }

  override disconnectedCallback(): void {
    this.resize?.disconnect();
    cancelAnimationFrame(this.frame);
    super.disconnectedCallback();
  }

  protected override firstUpdated(): void {
    const scroller = this.scroller!;
    this.resize = new ResizeObserver(() => (this.viewport = scroller.clientHeight || this.viewport));
    this.resize.observe(scroller);
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.renderRoot.querySelector<HTMLElement>('.spacer')!.style.height = `${this.users.length * ROW_HEIGHT}px`;
    for (const row of this.renderRoot.querySelectorAll<HTMLElement>('.body .row[data-index]')) {
      row.style.top = `${Number(row.dataset.index) * ROW_HEIGHT}px`;
    }
    // A shorter list (a search) may leave the scroll position past its end.
    if (changed.has('users')) this.onScroll();
  }

  private get scroller(): HTMLElement | null {
    return this.renderRoot.querySelector('.scroller');
  }

  /** Bring row `index` into view (keyboard navigation). */
  scrollToRow(index: number): void {
    const s = this.scroller;
    if (!s) return; // not rendered yet: it starts at the top anyway
    const top = index * ROW_HEIGHT;
    if (top < s.scrollTop) s.scrollTop = top;
    else if (top + ROW_HEIGHT > s.scrollTop + s.clientHeight) s.scrollTop = top + ROW_HEIGHT - s.clientHeight;
  }

  private onScroll = () => {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => (this.first = Math.floor((this.scroller?.scrollTop ?? 0) / ROW_HEIGHT)));
  };

  override render() {
    const n = this.users.length;
    const from = Math.max(0, this.first - OVERSCAN);
    const to = Math.min(n, this.first + Math.ceil(this.viewport / ROW_HEIGHT) + OVERSCAN);
    const activeId = this.active >= from && this.active < to ? `row-${this.active}` : '';
    const allSelected = n > 0 && this.users.every((u) => this.selected.has(u.mobile));
    return html`<div class="grid" role="grid" aria-label="Users" aria-multiselectable="true" aria-rowcount=${n + 1}
        tabindex="0" aria-activedescendant=${activeId || ''} @keydown=${this.onKey}>
      <div class="row head" role="row" aria-rowindex="1">
        <span role="columnheader"><input type="checkbox" id="select-all-box" aria-label="Select all shown users"
          .checked=${allSelected} .indeterminate=${!allSelected && this.selected.size > 0}
          @click=${(e: Event) => this.emit(allSelected ? 'select-none' : 'select-all', e)}></span>
        ${COLUMNS.map((c) => {
          const sorted = this.sort.key === c.key;
          return html`<span role="columnheader" aria-sort=${sorted ? (this.sort.descending ? 'descending' : 'ascending') : 'none'}>
            <button data-sort=${c.key} @click=${() => this.dispatchEvent(new CustomEvent<SortKey>('sort', { detail: c.key }))}>
              ${c.label}<span class="arrow" aria-hidden="true">${sorted ? (this.sort.descending ? '▼' : '▲') : ''}</span>
            </button></span>`;
        })}
      </div>
      <div class="scroller body" role="rowgroup" @scroll=${this.onScroll}>
        ${n === 0 ? html`<div class="empty" role="row"><span role="gridcell">${this.emptyText}</span></div>` : null}
        <div class="spacer">
          ${this.users.slice(from, to).map((u, k) => this.renderRow(u, from + k))}
        </div>
      </div>
    </div>`;
  }

  private renderRow(u: UserSummary, index: number) {
    const selected = this.selected.has(u.mobile);
    return html`<div class="row ${index === this.active ? 'active' : ''}" role="row" id="row-${index}" data-index=${index} data-mobile=${u.mobile}
        aria-rowindex=${index + 2} aria-selected=${selected ? 'true' : 'false'}
        @click=${(e: MouseEvent) => this.onRowClick(e, index)} @dblclick=${() => this.open(index)}>
      <span role="gridcell"><input type="checkbox" tabindex="-1" aria-label="Select ${u.firstName} ${u.lastName}" .checked=${selected}
        data-toggle></span>
      <span role="gridcell" title=${u.lastName}>${u.lastName}</span>
      <span role="gridcell" title=${u.firstName}>${u.firstName}</span>
      <span role="gridcell" class="num">${u.mobile}${u.lines.length ? html`<span class="lines">+${u.lines.length}</span>` : null}</span>
      <span role="gridcell" title=${u.comment}>${u.comment}</span>
      <span role="gridcell">${u.compromised ? html`<span class="badge bad">Compromised</span>` : html`<span class="badge ok">Active</span>`}</span>
    </div>`;
  }

  private onRowClick(e: MouseEvent, index: number): void {
    const onBox = (e.target as HTMLElement).hasAttribute('data-toggle');
    if (onBox) e.preventDefault(); // the checkbox shows the selection; it does not own it
    // Shift-click would otherwise select text across rows.
    if (e.shiftKey) getSelection()?.removeAllRanges();
    this.clickRow({ index, range: e.shiftKey, toggle: onBox || e.ctrlKey || e.metaKey });
  }

  private clickRow(detail: RowClick): void {
    this.dispatchEvent(new CustomEvent<RowClick>('row-click', { detail }));
  }

  private open(index: number): void {
    const u = this.users[index];
    if (u) this.dispatchEvent(new CustomEvent<string>('open', { detail: u.mobile }));
  }

  private emit(name: 'select-all' | 'select-none', e: Event): void {
    e.preventDefault();
    this.dispatchEvent(new CustomEvent(name));
  }

  /** Arrows, Page Up/Down, Home/End move the cursor (Shift extends); Space toggles; Enter opens; Ctrl+A selects all. */
  private onKey = (e: KeyboardEvent) => {
    const n = this.users.length;
    if (!n) return;
    const page = Math.max(1, Math.floor(this.viewport / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -n, End: n };
    if (e.key in moves) {
      e.preventDefault();
      const index = Math.min(n - 1, Math.max(0, this.active + moves[e.key]!));
      this.scrollToRow(index);
      this.clickRow({ index, range: e.shiftKey, toggle: false });
    } else if (e.key === ' ') {
      e.preventDefault();
      this.clickRow({ index: this.active, range: false, toggle: true });
    } else if (e.key === 'Enter') {
      this.open(this.active);
    } else if (e.key.toLowerCase() === 'a' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      this.dispatchEvent(new CustomEvent('select-all'));
    }
  };
}
