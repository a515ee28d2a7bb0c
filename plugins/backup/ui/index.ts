/** The backup plugin's UI: the Backup/Restore menu's view and the restore form the install wizard shows. */
import { KwBackupRestore } from './backup-restore.js';
import { KwBackupView } from './backup-view.js';

export { KwBackupRestore, KwBackupView };

if (!customElements.get('kw-backup-restore')) customElements.define('kw-backup-restore', KwBackupRestore);
if (!customElements.get('kw-backup-view')) customElements.define('kw-backup-view', KwBackupView);

declare global {
  interface HTMLElementTagNameMap {
    'kw-backup-restore': KwBackupRestore;
    'kw-backup-view': KwBackupView;
  }
}
