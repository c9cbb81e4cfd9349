/**
 * A read-only map from feature id (a non-negative 30-bit integer) to its row, as an open-addressing
 * hash table in two typed arrays: a lookup is a multiply, a mask and usually one probe, with no
 * per-entry objects for the garbage collector. Much faster than a Map of 100k+ numbers.
 */
export class IdIndex {
  private readonly keys: Int32Array;
  private readonly rows: Int32Array;
  private readonly mask: number;

  constructor(ids: ArrayLike<number>) {
    let size = 16;
    while (size < ids.length * 2) size *= 2;
    this.mask = size - 1;
    this.keys = new Int32Array(size).fill(-1);
    this.rows = new Int32Array(size);
    for (let row = 0; row < ids.length; row++) {
      const id = ids[row] as number;
      let slot = this.slot(id);
      while (this.keys[slot] !== -1 && this.keys[slot] !== id) slot = (slot + 1) & this.mask;
      this.keys[slot] = id;
      this.rows[slot] = row;
    }
  }

  /** The row of `id`, or -1 when it is not in the vocabulary. */
  get(id: number): number {
    let slot = this.slot(id);
    for (;;) {
      const key = this.keys[slot] as number;
      if (key === id) return this.rows[slot] as number;
      if (key === -1) return -1;
      slot = (slot + 1) & this.mask;
    }
  }

  private slot(id: number): number {
    return (Math.imul(id, 0x9e3779b1) >>> 0) & this.mask;
  }
}
