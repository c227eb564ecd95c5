// Selection is the set of chosen rows in a long list: click toggles one,
// shift-click selects the range from the last clicked row, "select all" takes
// every id the filter matches (including rows not loaded yet).

export class Selection {
  ids = $state.raw(new Set<number>());
  /** anchor is the index of the row last clicked without shift. */
  anchor: number | null = null;

  get size(): number {
    return this.ids.size;
  }

  has(id: number): boolean {
    return this.ids.has(id);
  }

  toggle(index: number, id: number): void {
    const next = new Set(this.ids);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.ids = next;
    this.anchor = index;
  }

  /**
   * extendTo selects every row from the anchor to index. idAt gives the id of a
   * loaded row; when a row in the range is not loaded, allIds is asked for the
   * ids of the whole list in order.
   */
  async extendTo(index: number, idAt: (i: number) => number | undefined, allIds: () => Promise<number[]>): Promise<void> {
    if (this.anchor === null) {
      const id = idAt(index);
      if (id !== undefined) this.toggle(index, id);
      return;
    }
    const from = Math.min(this.anchor, index);
    const to = Math.max(this.anchor, index);
    let range: (number | undefined)[] = [];
    for (let i = from; i <= to; i++) range.push(idAt(i));
    if (range.some((id) => id === undefined)) range = (await allIds()).slice(from, to + 1);
    const next = new Set(this.ids);
    for (const id of range) if (id !== undefined) next.add(id);
    this.ids = next;
  }

  selectAll(ids: number[]): void {
    this.ids = new Set(ids);
  }

  remove(ids: number[]): void {
    const next = new Set(this.ids);
    for (const id of ids) next.delete(id);
    this.ids = next;
  }

  clear(): void {
    this.ids = new Set();
    this.anchor = null;
  }
}
