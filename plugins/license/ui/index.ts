import { KwLicenseView } from './license-view.js';

if (!customElements.get('kw-license-view')) customElements.define('kw-license-view', KwLicenseView);
