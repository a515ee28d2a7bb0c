/**
 * The layouts plugin's UI. Other views open the editor with `<kw-layout-button layout="<id>">`
 * (the manual's Layout button) or embed `<kw-layout-editor layout-id="<id>">` themselves.
 */
import { KwLayoutButton } from './layout-button.js';
import { KwLayoutEditor } from './layout-editor.js';
import { KwLayoutPreview } from './layout-preview.js';
import { KwLayoutsView } from './layouts-view.js';

export { KwLayoutButton, KwLayoutEditor, KwLayoutPreview, KwLayoutsView };

const elements: [string, CustomElementConstructor][] = [
  ['kw-layout-preview', KwLayoutPreview],
  ['kw-layout-editor', KwLayoutEditor],
  ['kw-layout-button', KwLayoutButton],
  ['kw-layouts-view', KwLayoutsView],
];
for (const [tag, element] of elements) if (!customElements.get(tag)) customElements.define(tag, element);

declare global {
  interface HTMLElementTagNameMap {
    'kw-layout-preview': KwLayoutPreview;
    'kw-layout-editor': KwLayoutEditor;
    'kw-layout-button': KwLayoutButton;
    'kw-layouts-view': KwLayoutsView;
  }
}
