/** The channels plugin's UI: defines its elements (the Channels menu names `kw-channels-view`; User Details embeds `kw-user-channels`). */
import { KwChannelDetails } from './channel-details.js';
import { KwChannelsView } from './channels-view.js';
import { KwMemberList } from './member-list.js';
import { KwUserChannels } from './user-channels.js';

const elements: [string, CustomElementConstructor][] = [
  ['kw-member-list', KwMemberList],
  ['kw-channel-details', KwChannelDetails],
  ['kw-channels-view', KwChannelsView],
  ['kw-user-channels', KwUserChannels],
];
for (const [tag, element] of elements) if (!customElements.get(tag)) customElements.define(tag, element);

declare global {
  interface HTMLElementTagNameMap {
    'kw-member-list': KwMemberList;
    'kw-channel-details': KwChannelDetails;
    'kw-channels-view': KwChannelsView;
    'kw-user-channels': KwUserChannels;
  }
}
