/**
 * For plugin UIs (browser side): keeps a view's knowledge of the printer and burner current, so
 * Print and "Burn PDF" enable themselves when a USB stick or a disc is inserted.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { invoke } from '../../src/shell/ui/index.js';
import type { DeviceStatus } from './tokens.js';

/** How often the devices are asked again while the view is shown. */
const POLL_MS = 5000;

/** `status` is the active devices plugin's answer, or undefined when there is none (buttons stay disabled). */
export class DeviceStatusController implements ReactiveController {
  status: DeviceStatus | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), POLL_MS);
  }

  hostDisconnected(): void {
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    this.status = await invoke<DeviceStatus>('devices.status').catch(() => undefined);
    this.host.requestUpdate();
  }
}
