/**
 * The letters plugin's UI: elements other views embed. The users view shows
 * `<kw-letter-actions .mobiles=…>` (Print, Burn PDF, Layout) and User Details `<kw-user-qr mobile=…>`.
 */
import { KwLetterActions } from './letter-actions.js';
import { KwUserQr } from './user-qr.js';

export { KwLetterActions, KwUserQr };

const elements: [string, CustomElementConstructor][] = [
  ['kw-letter-actions', KwLetterActions],
  ['kw-user-qr', KwUserQr],
];
for (const [tag, element] of elements) if (!customElements.get(tag)) customElements.define(tag, element);

declare global {
  interface HTMLElementTagNameMap {
    'kw-letter-actions': KwLetterActions;
    'kw-user-qr': KwUserQr;
  }
}
