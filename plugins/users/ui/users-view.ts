/**
 * `kw-users-view`: the Users menu (manual: "Add a single user" … "Delete a user"). The Add
 * User row, the searchable, sortable, multi-select list of every user, and the actions on
 * the selection: Details, Delete and the Tools sub-menu (Import…, Export, Destroy Keys).
 * The whole list is loaded once (`users.list`); search and sort run here, and the grid
 * renders only the rows in view.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { baseStyles, invoke, notify, notifyError, runCommand } from '../../../src/shell/ui/index.js';
import { deleteQuestion, destroyKeysQuestion } from './confirmations.js';
import { downloadText } from './download.js';
import { clickSelection, countsText, keepExisting, visibleUsers, type Selection, type Sort, type SortKey } from './list-model.js';
import type { RowClick } from './user-grid.js';
import type { KwUserImport } from './user-import.js';
import type { UserListResult, UserSummary } from './types.js';

export class KwUsersView extends LitElement {
  static override properties = {
    list: { state: true },
    query: { state: true },
    sort: { state: true },
    selection: { state: true },
    active: { state: true },
    details: { state: true },
    toolsOpen: { state: true },
    failed: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .add { padding: 1rem 1.25rem; margin-bottom: 1rem; }
      .add h2 { font-size: 1rem; margin-bottom: 0.5rem; }
      .toolbar { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
      .toolbar button { padding: 0.4rem 0.8rem; }
      .search { flex: 1 1 14rem; max-width: 26rem; margin-right: auto; }
      input[type='search'] { font: inherit; box-sizing: border-box; padding: 0.4rem 0.6rem; border: 1px solid var(--kw-border);
                             border-radius: var(--kw-radius); background: #fff; color: var(--kw-text); }
      .counts { color: var(--kw-muted); font-size: 0.9rem; font-variant-numeric: tabular-nums; margin: 0.4rem 0 0.4rem; min-height: 1.4em; }
      .tools { position: relative; }
      [role='menu'] { position: absolute; right: 0; top: calc(100% + 4px); z-index: 5; min-width: 12rem; padding: 0.3rem 0;
                      background: var(--kw-surface); border: 1px solid var(--kw-border); border-radius: var(--kw-radius);
                      box-shadow: 0 6px 20px rgb(0 0 0 / 0.15); }
      [role='menuitem'] { display: block; width: 100%; text-align: left; border: none; border-radius: 0; padding: 0.45rem 1rem; }
      [role='menuitem'].danger-text { color: var(--kw-danger); }
      .sep { border-top: 1px solid #e2e6ea; margin: 0.3rem 0; }
    `,
  ];
  declare list: UserListResult | undefined;
  declare query: string;
  declare sort: Sort;
  declare selection: Selection;
  declare active: number;
  declare details: string | undefined;
  declare toolsOpen: boolean;
  declare failed: string;
  /** The users shown, in order (search and sort applied); recomputed only when those change. */
  private shown: UserSummary[] = [];
  private order: string[] = [];

  constructor() {
    super();
    this.list = undefined;
    this.query = '';
    this.sort = { key: 'lastName', descending: false };
    this.selection = { selected: new Set() };
    this.active = 0;
    this.details = undefined;
    this.toolsOpen = false;
    this.failed = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('click', this.onDocumentClick);
    void this.load();
  }

  override disconnectedCallback(): void {
    document.removeEventListener('click', this.onDocumentClick);
    super.disconnectedCallback();
  }

  /** (Re)load every user; the selection keeps the users that still exist. */
  async load(): Promise<void> {
    try {
      this.list = await invoke<UserListResult>('users.list', {});
      this.selection = keepExisting(this.selection, this.list.users);
      this.failed = '';
    } catch (err) {
      this.failed = err instanceof Error ? err.message : String(err);
      notifyError(err);
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('list') || changed.has('query') || changed.has('sort')) {
      this.shown = this.list ? visibleUsers(this.list.users, this.query, this.sort) : [];
      this.order = this.shown.map((u) => u.mobile);
      this.active = Math.min(this.active, Math.max(0, this.shown.length - 1));
    }
    // What the administrator acts on is what the list shows: a search drops hidden users from the selection.
    if (changed.has('query') && this.selection.selected.size) this.selection = keepExisting(this.selection, this.shown);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('query')) this.renderRoot.querySelector('kw-user-grid')?.scrollToRow(0);
  }

  private get selectedUsers(): UserSummary[] {
    const s = this.selection.selected;
    return s.size ? (this.list?.users ?? []).filter((u) => s.has(u.mobile)) : [];
  }

  override render() {
    const n = this.selection.selected.size;
    return html`<h1>Users</h1>
      <div class="card add">
        <h2>Add user</h2>
        <kw-add-user @user-added=${this.onUserAdded}></kw-add-user>
      </div>
      <div class="toolbar">
        <input class="search" id="search" type="search" placeholder="Search name, number or comment" aria-label="Search users"
          .value=${this.query} @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)} />
        <button id="select-all" @click=${this.selectAll} ?disabled=${!this.shown.length}>Select all</button>
        <button id="select-none" @click=${this.selectNone} ?disabled=${!n}>Select none</button>
        <button id="details" @click=${() => this.openDetails()} ?disabled=${n !== 1}>Details</button>
        <button id="delete" @click=${this.deleteSelected} ?disabled=${!n}>Delete</button>
        <kw-letter-actions .mobiles=${[...this.selection.selected]}></kw-letter-actions>
        <div class="tools">
          <button id="tools" aria-haspopup="menu" aria-expanded=${this.toolsOpen ? 'true' : 'false'} aria-controls="tools-menu"
            @click=${this.toggleTools}>Tools ▾</button>
          ${this.toolsOpen ? this.renderTools(n) : null}
        </div>
      </div>
      <p class="counts" id="counts" aria-live="polite">${this.list
        ? countsText(this.shown.length, this.list.total, n, this.list.userLimit)
        : this.failed ? '' : 'Loading users…'}</p>
      ${this.failed && !this.list ? html`<p class="notice bad" role="alert">${this.failed}</p>` : null}
      <kw-user-grid .users=${this.shown} .emptyText=${this.list?.total
          ? 'No users match the search.'
          : 'No users yet: add one above, or import a file with Tools → Import….'} .selected=${this.selection.selected} .sort=${this.sort} .active=${this.active}
        @row-click=${this.onRowClick} @sort=${this.onSort} @open=${(e: CustomEvent<string>) => this.openDetails(e.detail)}
        @select-all=${this.selectAll} @select-none=${this.selectNone}></kw-user-grid>
      <kw-user-import @imported=${() => this.load()}></kw-user-import>
      <kw-user-details .mobile=${this.details} @close=${() => (this.details = undefined)} @user-changed=${this.onUserChanged}></kw-user-details>`;
  }

  private renderTools(n: number) {
    return html`<div role="menu" id="tools-menu" aria-label="Tools" @keydown=${this.onMenuKey}>
      <button role="menuitem" id="tool-import" @click=${this.startImport}>Import…</button>
      <button role="menuitem" id="tool-export" @click=${this.exportUsers}>${n ? `Export ${n.toLocaleString('en-US')} selected` : 'Export all'}</button>
      <div class="sep" role="separator"></div>
      <button role="menuitem" id="tool-destroy" class="danger-text" ?disabled=${!n} @click=${this.destroyKeys}>Destroy Keys</button>
    </div>`;
  }

  // ---- selection

  private onRowClick = (e: CustomEvent<RowClick>) => {
    const { index, range, toggle } = e.detail;
    this.selection = clickSelection(this.selection, this.order, index, { range, toggle });
    this.active = index;
  };

  private selectAll = () => {
    this.selection = { selected: new Set(this.order), anchor: this.selection.anchor };
  };

  private selectNone = () => {
    this.selection = { selected: new Set() };
  };

  private onSort = (e: CustomEvent<SortKey>) => {
    const key = e.detail;
    this.sort = { key, descending: this.sort.key === key ? !this.sort.descending : false };
  };

  // ---- changes made elsewhere

  private onUserAdded = (e: CustomEvent<UserSummary>) => {
    if (!this.list) return void this.load();
    this.list = { ...this.list, total: this.list.total + 1, users: [...this.list.users, e.detail] };
    // Select the new user so it is easy to find and open (unless a search hides it: nothing hidden is selected).
    if (!this.query) this.selection = { selected: new Set([e.detail.mobile]), anchor: e.detail.mobile };
  };

  private onUserChanged = (e: CustomEvent<UserSummary>) => {
    if (!this.list) return;
    this.list = { ...this.list, users: this.list.users.map((u) => (u.mobile === e.detail.mobile ? e.detail : u)) };
  };

  // ---- actions

  private openDetails(mobile?: string): void {
    this.details = mobile ?? [...this.selection.selected][0];
  }

  private deleteSelected = async () => {
    const users = this.selectedUsers;
    if (!users.length) return;
    const result = await runCommand<{ count: number }>('users.delete', { mobiles: users.map((u) => u.mobile) }, {
      confirm: deleteQuestion(users),
      success: (r) => `Deleted ${r.count === 1 ? '1 user' : `${r.count.toLocaleString('en-US')} users`}.`,
    });
    if (result) await this.load();
  };

  private toggleTools = (e: Event) => {
    e.stopPropagation();
    this.toolsOpen = !this.toolsOpen;
    if (this.toolsOpen) void this.updateComplete.then(() => this.menuItems()[0]?.focus());
  };

  private onDocumentClick = () => {
    this.toolsOpen = false;
  };

  private menuItems(): HTMLButtonElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLButtonElement>('[role=menuitem]:not([disabled])')];
  }

  /** Escape closes the menu; arrows move between its items. */
  private onMenuKey = (e: KeyboardEvent) => {
    const items = this.menuItems();
    const at = items.indexOf(this.renderRoot.querySelector<HTMLButtonElement>('[role=menuitem]:focus')!);
    if (e.key === 'Escape') {
      this.toolsOpen = false;
      this.renderRoot.querySelector<HTMLButtonElement>('#tools')!.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    }
  };

  private startImport = () => {
    this.toolsOpen = false;
    this.renderRoot.querySelector<KwUserImport>('kw-user-import')!.pick();
  };

  private exportUsers = async () => {
    this.toolsOpen = false;
    const mobiles = [...this.selection.selected];
    try {
      const { fileName, text } = await invoke<{ fileName: string; text: string }>('users.export', mobiles.length ? { mobiles } : {});
      downloadText(fileName, text);
      notify(`Exported ${mobiles.length ? mobiles.length.toLocaleString('en-US') : 'all'} users to ${fileName}.`);
    } catch (err) {
      notifyError(err);
    }
  };

  private destroyKeys = async () => {
    this.toolsOpen = false;
    const users = this.selectedUsers;
    if (!users.length) return;
    const result = await runCommand<{ count: number }>('users.destroyKeys', { mobiles: users.map((u) => u.mobile) }, {
      confirm: destroyKeysQuestion(users),
      success: (r) => `Keys destroyed for ${r.count === 1 ? '1 user' : `${r.count.toLocaleString('en-US')} users`}. Create a monthly update next.`,
    });
    if (result) await this.load();
  };
}
