/**
 * The memo of the search: every (set of linearized operations, model state) pair reached so far.
 * Reaching a pair a second time cannot lead anywhere new, so the search prunes it (Lowe's
 * refinement of Wing & Gong's algorithm).
 *
 * Built for V8: bitsets live side by side in one growable `Uint32Array`, the table is open
 * addressing over an `Int32Array`, and nothing is allocated per lookup, so a search with
 * millions of steps produces almost no garbage.
 */
export class LinearizationMemo<State> {
  private readonly words: number;
  private readonly equal: (a: State, b: State) => boolean;
  private bits: Uint32Array;
  private keys: Int32Array;
  private states: State[] = [];
  private table: Int32Array;
  private mask: number;
  private count = 0;
  private stateBytes = 0;

  /** `expectedSize` sizes the first allocation; the memo grows past it as needed. */
  constructor(words: number, equal: (a: State, b: State) => boolean, expectedSize = 1024) {
    this.words = words;
    this.equal = equal;
    let capacity = 64;
    while (capacity < expectedSize) capacity *= 2;
    this.bits = new Uint32Array(capacity * words);
    this.keys = new Int32Array(capacity);
    this.table = new Int32Array(capacity * 2);
    this.mask = capacity * 2 - 1;
  }

  /** Number of pairs remembered. */
  get size(): number {
    return this.count;
  }

  /**
   * An estimate of the memory the memo holds, in bytes: the bitsets, the table, the references
   * and a rough size of each remembered state. Deterministic, so limits based on it are too.
   */
  get estimatedBytes(): number {
    return this.count * (this.words * 4 + 4 + 8 + 8) + this.stateBytes;
  }

  /**
   * Remembers (`set`, `state`) under `key` (a hash of both) unless it is already there.
   * Returns true when the pair is new.
   */
  addIfAbsent(set: Uint32Array, key: number, state: State): boolean {
    const words = this.words;
    const table = this.table;
    const mask = this.mask;
    let slot = key & mask;
    for (let entry = table[slot]!; entry !== 0; entry = table[slot]!) {
      const index = entry - 1;
      if (
        this.keys[index] === key &&
        this.sameSet(index, set) &&
        this.equal(this.states[index]!, state)
      ) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
    const index = this.count;
    if (index === this.keys.length) {
      this.grow();
      return this.addIfAbsent(set, key, state);
    }
    this.bits.set(set, index * words);
    this.keys[index] = key;
    this.states.push(state);
    table[slot] = index + 1;
    this.count = index + 1;
    this.stateBytes += estimateStateBytes(state);
    return true;
  }

  private sameSet(index: number, set: Uint32Array): boolean {
    const bits = this.bits;
    const base = index * this.words;
    for (let w = 0; w < this.words; w++) {
      if (bits[base + w] !== set[w]) return false;
    }
    return true;
  }

  private grow(): void {
    const capacity = this.keys.length * 2;
    const bits = new Uint32Array(capacity * this.words);
    bits.set(this.bits);
    this.bits = bits;
    const keys = new Int32Array(capacity);
    keys.set(this.keys);
    this.keys = keys;
    const table = new Int32Array(capacity * 2);
    const mask = capacity * 2 - 1;
    for (let index = 0; index < this.count; index++) {
      let slot = keys[index]! & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = index + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

/**
 * A cheap, deterministic guess of the heap a state occupies beyond its reference: strings by
 * length, objects at a flat rate. It only has to be in the right order of magnitude for the
 * memory cap; a heap check backs it up.
 */
function estimateStateBytes(state: unknown): number {
  switch (typeof state) {
    case "string":
      return 16 + state.length;
    case "object":
      return state === null ? 0 : 64;
    default:
      return 0;
  }
}
