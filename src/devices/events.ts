/**
 * Deterministic scheduler on the virtual clock (core cycles since reset, a double exact to 2^53).
 *
 * Nothing here reads host time. The CPU loop runs guest code until `nextAt()`, then calls
 * `runDue(cycles)`; devices `schedule` callbacks at absolute cycle counts. Events due at the same
 * cycle run in insertion order (a sequence number breaks ties), so two runs of the same guest
 * produce the same interleaving.
 *
 * `now` is what devices use to compute "now + latency". The integrator should construct the
 * queue with a clock (`new EventQueue(() => cpu.cycles)`) so that `now` is exact even in the middle
 * of a guest slice (an MMIO write that schedules a completion). Without a clock, `now` is the
 * value of the last `runDue`/`advance`. While an event callback runs, `now` is that event's due
 * time, so chained events (a callback scheduling the next one) do not drift when `runDue` is
 * called late.
 */

/** One scheduled callback. Opaque to callers except as a handle for `cancel`. */
export interface EventHandle {
  readonly at: number;
  readonly tag: string;
}

interface EventRec extends EventHandle {
  at: number;
  seq: number;
  fn: () => void;
  tag: string;
  /** Position in the heap, -1 once it ran or was cancelled. */
  pos: number;
}

export class EventQueue {
  private readonly heap: EventRec[] = [];
  private seq = 0;
  /** Told of every new event (the machine ends a running slice that would overrun it). */
  onSchedule: ((atCycle: number) => void) | null = null;
  private base = 0;
  /** Due time of the callback currently running, or NaN outside `runDue`. */
  private current = Number.NaN;

  constructor(private readonly clock?: () => number) {}

  /** The virtual time, in cycles. */
  get now(): number {
    if (this.current === this.current) return this.current; // not NaN: inside a callback
    return this.clock ? this.clock() : this.base;
  }

  /** Number of pending events. */
  get size(): number { return this.heap.length; }

  /** Moves the clock forward without running anything (only meaningful without a clock). */
  advance(now: number): void {
    if (now > this.base) this.base = now;
  }

  /** Runs `fn` when the clock reaches `atCycle` (an event in the past runs at the next `runDue`). */
  schedule(atCycle: number, fn: () => void, tag = ""): EventHandle {
    if (!Number.isFinite(atCycle)) throw new RangeError(`EventQueue: bad time ${atCycle}`);
    const rec: EventRec = { at: atCycle, seq: this.seq++, fn, tag, pos: this.heap.length };
    this.heap.push(rec);
    this.up(rec.pos);
    this.onSchedule?.(atCycle);
    return rec;
  }

  /** `schedule(now + delta, ...)`. */
  scheduleIn(delta: number, fn: () => void, tag = ""): EventHandle {
    return this.schedule(this.now + delta, fn, tag);
  }

  /** Removes a pending event. Returns false if it already ran or was cancelled. */
  cancel(handle: EventHandle): boolean {
    const rec = handle as EventRec;
    const i = rec.pos;
    if (i < 0 || this.heap[i] !== rec) return false;
    this.removeAt(i);
    return true;
  }

  /** Whether the event is still pending. */
  pending(handle: EventHandle): boolean {
    const rec = handle as EventRec;
    return rec.pos >= 0 && this.heap[rec.pos] === rec;
  }

  /** Due time of the earliest pending event, Infinity if none. */
  nextAt(): number {
    const top = this.heap[0];
    return top ? top.at : Infinity;
  }

  /**
   * Runs every event due at or before `now`, in (time, insertion) order, including events that
   * callbacks schedule within the window. Returns the number of events run.
   */
  runDue(now: number): number {
    let n = 0;
    const heap = this.heap;
    for (;;) {
      const top = heap[0];
      if (!top || top.at > now) break;
      this.removeAt(0);
      this.current = top.at;
      try {
        top.fn();
      } finally {
        this.current = Number.NaN;
      }
      n++;
    }
    if (now > this.base) this.base = now;
    return n;
  }

  /** Drops every pending event (machine reset). */
  clear(): void {
    for (const r of this.heap) r.pos = -1;
    this.heap.length = 0;
  }

  /** Pending events in due order, for `-d` logs and tests. */
  list(): { at: number; tag: string }[] {
    return [...this.heap].sort(cmp).map((r) => ({ at: r.at, tag: r.tag }));
  }

  // ---- binary min-heap on (at, seq) with back-pointers so that cancel is O(log n) ----

  private removeAt(i: number): void {
    const heap = this.heap;
    const rec = heap[i]!;
    const last = heap.pop()!;
    rec.pos = -1;
    if (last !== rec) {
      heap[i] = last;
      last.pos = i;
      this.down(i);
      this.up(last.pos);
    }
  }

  private up(i: number): void {
    const heap = this.heap;
    const rec = heap[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = heap[p]!;
      if (cmp(parent, rec) <= 0) break;
      heap[i] = parent;
      parent.pos = i;
      i = p;
    }
    heap[i] = rec;
    rec.pos = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const rec = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && cmp(heap[r]!, heap[l]!) < 0) c = r;
      const child = heap[c]!;
      if (cmp(child, rec) >= 0) break;
      heap[i] = child;
      child.pos = i;
      i = c;
    }
    heap[i] = rec;
    rec.pos = i;
  }
}

function cmp(a: EventRec, b: EventRec): number {
  return a.at - b.at || a.seq - b.seq;
}
