/** The gateways plugin's UI: the Gateways menu's view. */
import { KwGatewaysView } from './gateways-view.js';

export { KwGatewaysView };

if (!customElements.get('kw-gateways-view')) customElements.define('kw-gateways-view', KwGatewaysView);

declare global {
  interface HTMLElementTagNameMap {
    'kw-gateways-view': KwGatewaysView;
  }
}
