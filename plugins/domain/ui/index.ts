import { KwDomainView } from './domain-view.js';

if (!customElements.get('kw-domain-view')) customElements.define('kw-domain-view', KwDomainView);
