/**
 * Scratch slots of the F_p kernel (sakke-fp.ts) for one call at a time: sized up front,
 * reused by the next call (grown, never shrunk), and zeroed after each call because they
 * hold values derived from secret scalars.
 */
import { SLOT } from './fp-wasm.js';
import { clearSlots, reserveSlots } from './sakke-fp.js';

export class SlotArena {
  #at = 0;
  #size = 0;
  #used = 0;

  /** Starts a call that takes at most `slots` slots. */
  open(slots: number): void {
    if (slots > this.#size) {
      this.#at = reserveSlots(slots);
      this.#size = slots;
    }
    this.#used = 0;
  }

  /** The byte offset of `slots` consecutive fresh slots. */
  take(slots: number): number {
    this.#used += slots;
    if (this.#used > this.#size) throw new RangeError('slot arena too small'); // callers size it in open()
    return this.#at + (this.#used - slots) * SLOT;
  }

  /** Zeroes what this call took. */
  clear(): void {
    clearSlots(this.#at, this.#used);
    this.#used = 0;
  }
}
