/** The users plugin's UI: defines its elements (the Users menu names `kw-users-view`). */
import { KwAddUser } from './add-user.js';
import { KwUserDetails } from './user-details.js';
import { KwUserGrid } from './user-grid.js';
import { KwUserImport } from './user-import.js';
import { KwUsersView } from './users-view.js';

const elements: [string, CustomElementConstructor][] = [
  ['kw-add-user', KwAddUser],
  ['kw-user-grid', KwUserGrid],
  ['kw-user-import', KwUserImport],
  ['kw-user-details', KwUserDetails],
  ['kw-users-view', KwUsersView],
];
for (const [tag, element] of elements) if (!customElements.get(tag)) customElements.define(tag, element);

declare global {
  interface HTMLElementTagNameMap {
    'kw-add-user': KwAddUser;
    'kw-user-grid': KwUserGrid;
    'kw-user-import': KwUserImport;
    'kw-user-details': KwUserDetails;
    'kw-users-view': KwUsersView;
  }
}
