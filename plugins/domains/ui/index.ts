import { KwDomainsMine } from './domain-certificate.js';
import { KwDomainsPeers } from './domain-peers.js';

if (!customElements.get('kw-domains-mine')) customElements.define('kw-domains-mine', KwDomainsMine);
if (!customElements.get('kw-domains-peers')) customElements.define('kw-domains-peers', KwDomainsPeers);
