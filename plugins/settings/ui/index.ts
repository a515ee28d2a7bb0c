/** The settings plugin's UI: the Settings menu's view and its sections. */
import { KwCrsSettings } from './crs-settings.js';
import { KwFeatureSwitches } from './feature-switches.js';
import { KwSettingsView } from './settings-view.js';

const elements: [string, CustomElementConstructor][] = [
  ['kw-crs-settings', KwCrsSettings],
  ['kw-feature-switches', KwFeatureSwitches],
  ['kw-settings-view', KwSettingsView],
];
for (const [tag, element] of elements) if (!customElements.get(tag)) customElements.define(tag, element);

declare global {
  interface HTMLElementTagNameMap {
    'kw-crs-settings': KwCrsSettings;
    'kw-feature-switches': KwFeatureSwitches;
    'kw-settings-view': KwSettingsView;
  }
}
