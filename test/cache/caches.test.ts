// The read-through rules of the process caches (src/store/cache/caches.ts), without a database.
import { describe, expect, it } from "vitest";
import { BoundedMap } from "../../src/store/cache/bounded-map";
import { readThrough, StoreCaches } from "../../src/store/cache/caches";

/** A fetch that answers `value` for every key it is asked, recording what it was asked. */
function recordingFetch(value = (key: string) => `row ${key}`) {
  const asked: string[][] = [];
  return {
    asked,
    fetch: async (keys: readonly string[]) => {
      asked.push([...keys]);
      return new Map(keys.map((key) => [key, value(key)]));
    },
  };
}

describe("process caches: read-through", () => {
  it("fetches only the misses, with one call, and serves them from memory afterwards", async () => {
    const caches = new StoreCaches(() => true);
    const table = new BoundedMap<string, string>(10);
    const source = recordingFetch();

    await readThrough(caches, table, 1, ["a"], source.fetch);
    const found = await readThrough(caches, table, 1, ["a", "b", "c"], source.fetch);
    await readThrough(caches, table, 1, ["a", "b", "c"], source.fetch);

    expect(source.asked).toEqual([["a"], ["b", "c"]]);
    expect([...found]).toEqual([["a", "row a"], ["b", "row b"], ["c", "row c"]]);
  });

  it("keeps an entry for the account it was read for only", async () => {
    const caches = new StoreCaches(() => true);
    const table = new BoundedMap<string, string>(10);
    const source = recordingFetch();

    await readThrough(caches, table, 1, ["a"], source.fetch);
    await readThrough(caches, table, 2, ["a"], source.fetch);

    expect(source.asked).toEqual([["a"], ["a"]]);
  });

  it("does not store what a read begun before a clear fetched after it", async () => {
    const caches = new StoreCaches(() => true);
    const table = new BoundedMap<string, string>(10);
    let answer: (rows: Map<string, string>) => void = () => undefined;
    const stale = readThrough<string, string>(caches, table, 1, ["a"], () => new Promise((resolve) => (answer = resolve)));

    caches.clear();
    answer(new Map([["a", "before the import"]]));
    const staleAnswer = await stale;
    const fresh = await readThrough(caches, table, 1, ["a"], async () => new Map([["a", "after the import"]]));

    expect(staleAnswer.get("a")).toBe("before the import");
    expect(fresh.get("a")).toBe("after the import");
  });

  it("neither reads nor stores while untrusted (listener down)", async () => {
    let trusted = true;
    const caches = new StoreCaches(() => trusted);
    const table = new BoundedMap<string, string>(10);
    const source = recordingFetch();
    await readThrough(caches, table, 1, ["a"], source.fetch);

    trusted = false;
    await readThrough(caches, table, 1, ["a", "b"], source.fetch);
    trusted = true;
    await readThrough(caches, table, 1, ["a", "b"], source.fetch);

    expect(source.asked).toEqual([["a"], ["a", "b"], ["b"]]);
  });

  it("remembers keys the fetch did not return only in an absent table, when given one", async () => {
    const caches = new StoreCaches(() => true);
    const table = new BoundedMap<string, string>(10);
    const absent = new BoundedMap<string, true>(10);
    const asked: string[][] = [];
    const nothing = async (keys: readonly string[]) => {
      asked.push([...keys]);
      return new Map<string, string>();
    };

    await readThrough(caches, table, 1, ["unknown key"], nothing);
    await readThrough(caches, table, 1, ["unknown key"], nothing);
    await readThrough(caches, table, 1, ["unknown ref"], nothing, absent);
    const found = await readThrough(caches, table, 1, ["unknown ref"], nothing, absent);

    expect(asked).toEqual([["unknown key"], ["unknown key"], ["unknown ref"]]);
    expect(found.size).toBe(0);
    expect([table.size, absent.size]).toEqual([0, 1]);
  });

  it("holds at most its limit, dropping the least recently used", () => {
    const table = new BoundedMap<string, number>(2);

    table.set("a", 1);
    table.set("b", 2);
    table.get("a");
    table.set("c", 3);

    expect([table.get("a"), table.get("b"), table.get("c"), table.size]).toEqual([1, undefined, 3, 2]);
  });
});
