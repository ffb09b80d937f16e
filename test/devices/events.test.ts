import { describe, expect, it } from "vitest";
import { EventQueue } from "../../src/devices/events.ts";

describe("EventQueue", () => {
  it("is empty at first", () => {
    const q = new EventQueue();
    expect(q.nextAt()).toBe(Infinity);
    expect(q.runDue(1e9)).toBe(0);
    expect(q.now).toBe(1e9);
  });

  it("runs events in (time, insertion) order, only when due", () => {
    const q = new EventQueue();
    const log: string[] = [];
    q.schedule(30, () => log.push("c"));
    q.schedule(10, () => log.push("a1"));
    q.schedule(20, () => log.push("b"));
    q.schedule(10, () => log.push("a2"));
    expect(q.nextAt()).toBe(10);
    expect(q.runDue(9)).toBe(0);
    expect(q.runDue(10)).toBe(2);
    expect(log).toEqual(["a1", "a2"]);
    expect(q.nextAt()).toBe(20);
    q.runDue(100);
    expect(log).toEqual(["a1", "a2", "b", "c"]);
    expect(q.size).toBe(0);
  });

  it("cancels pending events and refuses to cancel twice", () => {
    const q = new EventQueue();
    const log: number[] = [];
    const hs = [5, 1, 4, 2, 3].map((t) => q.schedule(t, () => log.push(t), `t${t}`));
    expect(q.cancel(hs[2]!)).toBe(true); // t=4
    expect(q.cancel(hs[2]!)).toBe(false);
    expect(q.pending(hs[0]!)).toBe(true);
    expect(q.list().map((e) => e.tag)).toEqual(["t1", "t2", "t3", "t5"]);
    q.runDue(10);
    expect(log).toEqual([1, 2, 3, 5]);
    expect(q.cancel(hs[0]!)).toBe(false); // already ran
    expect(q.pending(hs[0]!)).toBe(false);
  });

  it("runs events scheduled by callbacks inside the window, with now = the due time", () => {
    const q = new EventQueue();
    const seen: number[] = [];
    q.schedule(10, () => {
      seen.push(q.now);
      q.scheduleIn(5, () => seen.push(q.now)); // at 15, still due
      q.scheduleIn(50, () => seen.push(q.now)); // at 60, not due
    });
    q.runDue(20);
    expect(seen).toEqual([10, 15]);
    expect(q.now).toBe(20);
    expect(q.nextAt()).toBe(60);
  });

  it("reads now from a clock when given one", () => {
    let cycles = 100;
    const q = new EventQueue(() => cycles);
    expect(q.now).toBe(100);
    const h = q.scheduleIn(50, () => {});
    expect(h.at).toBe(150);
    cycles = 400;
    expect(q.now).toBe(400);
  });

  it("keeps heap order under random schedule/cancel", () => {
    const q = new EventQueue();
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 1000);
    const expected: { at: number; id: number }[] = [];
    const handles = [];
    for (let id = 0; id < 500; id++) {
      const at = rnd();
      handles.push({ h: q.schedule(at, () => got.push(id)), at, id });
      expected.push({ at, id });
    }
    const got: number[] = [];
    const cancelled = new Set<number>();
    for (let i = 0; i < 150; i++) {
      const k = rnd() % 500;
      if (q.cancel(handles[k]!.h)) cancelled.add(k);
    }
    q.runDue(1000);
    const want = expected.filter((e) => !cancelled.has(e.id)).sort((a, b) => a.at - b.at || a.id - b.id).map((e) => e.id);
    expect(got).toEqual(want);
  });

  it("rejects non-finite times and clears", () => {
    const q = new EventQueue();
    expect(() => q.schedule(Infinity, () => {})).toThrow(RangeError);
    const h = q.schedule(1, () => { throw new Error("must not run"); });
    q.clear();
    expect(q.pending(h)).toBe(false);
    expect(q.runDue(10)).toBe(0);
  });
});
