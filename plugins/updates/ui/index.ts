/** The updates plugin's UI: the Update menu's view. */
import { KwUpdatesView } from './updates-view.js';

export { KwUpdatesView };

if (!customElements.get('kw-updates-view')) customElements.define('kw-updates-view', KwUpdatesView);

declare global {
  interface HTMLElementTagNameMap {
    'kw-updates-view': KwUpdatesView;
  }
}
