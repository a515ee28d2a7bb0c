/**
 * Commands run side by side, except those marked `exclusive`: one of those waits until every
 * running command has finished and holds new ones back until it is done.
 */
export class Gate {
  private shared = 0;
  private exclusive = false;
  private waiting: (() => void)[] = [];

  /** Waits for a turn; returns the function that ends it. */
  async enter(exclusive: boolean): Promise<() => void> {
    while (this.exclusive || (exclusive && this.shared > 0)) await new Promise<void>((r) => this.waiting.push(r));
    if (exclusive) this.exclusive = true;
    else this.shared++;
    return () => {
      if (exclusive) this.exclusive = false;
      else this.shared--;
      const waiting = this.waiting;
      this.waiting = [];
      for (const wake of waiting) wake();
    };
  }
}
