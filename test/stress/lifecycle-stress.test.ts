// Rule numbers: docs/allocation-rules.md
// Rule 18 under concurrency: two server processes (the built service) on one PostgreSQL database,
// 50 concurrent allocations and deallocations of one shipment per round. The allocation history
// must be a clean alternation: never two allocations in force, none lost, each transition once.
import { expect, it } from "vitest";
import type { Store } from "../../src/store/store";
import { allocateMutation } from "../api/api";
import { ALLOCATE_WITH_QUOTE, DEALLOCATE, PREVIEW } from "../api/lifecycle";
import { postGraphQL } from "../observability/harness";
import type { ServiceProcess } from "../support/service-process";
import { describeOnPostgres } from "../support/stores";
import { useServicePair } from "./service-pair";
import { referenceMaker } from "./shipments";

const ROUNDS = 100;
const CONCURRENT = 50;
// 5,100 requests: 20 s on the shared two-core test machine when quiet, 85 s at a load average of 24

interface Answer {
  call: "allocate" | "deallocate";
  status: number;
  won: boolean;
  detail?: string;
  tracking?: string;
}

interface StoredAllocation {
  tracking: string;
  allocatedAt: Date;
  deallocatedAt: Date | null;
}

describeOnPostgres("allocation and deallocation under concurrent load on two server processes", (open) => {
  const ref = referenceMaker();
  const shipments = Array.from({ length: ROUNDS }, (_, i) => ref(i));
  const quoted = ref(ROUNDS);
  const pair = useServicePair("lifecycle-stress", open, [...shipments, quoted]);

  it("a quote one process issued is allocated by the other (rule 15)", async () => {
    const preview = await postGraphQL(`${pair.servers[0].origin}/graphql`, PREVIEW, { shipmentRef: quoted, ref: "UK_ECONOMY" });
    const { quote } = preview.body.data!.result;

    const allocation = await postGraphQL(`${pair.servers[1].origin}/graphql`, ALLOCATE_WITH_QUOTE, {
      shipmentRef: quoted,
      quoteRef: quote.reference,
    });

    expect(allocation.body.data!.result).toMatchObject({
      state: "ALLOCATED",
      details: [],
      price: quote.price,
      carrierService: quote.carrierService,
    });
  });

  it(`${ROUNDS} rounds × ${CONCURRENT} concurrent allocate / deallocate calls on one shipment: a clean alternation`, async () => {
    // Act: each round's quote comes from the first process; both processes allocate with it
    const rounds: Answer[][] = [];
    for (const [round, shipmentRef] of shipments.entries()) {
      const preview = await postGraphQL(`${pair.servers[0].origin}/graphql`, PREVIEW, { shipmentRef, ref: "UK_ECONOMY" });
      const quoteRef: string = preview.body.data!.result.quote.reference;
      // every other round starts allocated (with the quote, by the other process): deallocations can win first
      const before = round % 2 ? [await call(pair.servers[1], shipmentRef, quoteRef, 2)] : [];
      // each kind of call goes to both processes in turn
      const concurrent = Array.from({ length: CONCURRENT }, (_, i) => call(pair.servers[(i + Math.floor(i / 6)) % 2], shipmentRef, quoteRef, i));
      rounds.push([...before, ...(await Promise.all(concurrent))]);
    }

    // Assert: no 5xx; every answer a transition or "not in that state"
    const answers = rounds.flat();
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(new Set(answers.filter((a) => !a.won).map((a) => a.detail))).toEqual(new Set(["shipment_invalid_state"]));
    const stored = await storedHistories(pair.db, shipments);
    const finalStates = await storedStates(pair.db, shipments);
    shipments.forEach((shipmentRef, i) => {
      const round = rounds[i];
      const history = stored.get(shipmentRef) ?? [];
      const allocations = round.filter((a) => a.call === "allocate" && a.won);
      const deallocations = round.filter((a) => a.call === "deallocate" && a.won);
      // every allocation answered is stored, with the tracking reference it was told; each deallocation voided one
      expect(history.map((h) => h.tracking).sort()).toEqual(allocations.map((a) => a.tracking).sort());
      expect(history.filter((h) => h.deallocatedAt !== null)).toHaveLength(deallocations.length);
      // never two in force: all but the newest are voided, the newest in force exactly when the shipment is allocated
      expect(history.slice(0, -1).every((h) => h.deallocatedAt !== null)).toBe(true);
      expect(history.at(-1)!.deallocatedAt === null).toBe(finalStates.get(shipmentRef) === "allocated");
      // in time: allocated, voided, allocated again, ...
      const instants = history.flatMap((h) => (h.deallocatedAt ? [h.allocatedAt, h.deallocatedAt] : [h.allocatedAt]));
      expect(instants.map(Number)).toEqual([...instants.map(Number)].sort((a, b) => a - b));
    });
    const tracking = [...stored.values()].flat().map((h) => h.tracking);
    expect(new Set(tracking).size).toBe(tracking.length);
    // the mix did exercise re-allocation
    expect(Math.max(...[...stored.values()].map((h) => h.length))).toBeGreaterThan(1);
  }, 300_000);
});

// allocations (by group, by carrier service, with the quote) and deallocations, interleaved
async function call(server: ServiceProcess, shipmentRef: string, quoteRef: string, i: number): Promise<Answer> {
  const url = `${server.origin}/graphql`;
  const [call, query, variables] = ([
    ["allocate", allocateMutation("virtual"), { shipmentRef, ref: "UK_ECONOMY" }],
    ["deallocate", DEALLOCATE, { shipmentRef, reason: `call ${i}` }],
    ["allocate", ALLOCATE_WITH_QUOTE, { shipmentRef, quoteRef }],
    ["deallocate", DEALLOCATE, { shipmentRef }],
    ["allocate", allocateMutation("carrierService"), { shipmentRef, ref: "DPD-00012" }],
    ["deallocate", DEALLOCATE, { shipmentRef, reason: "" }],
  ] as const)[i % 6];
  const response = await postGraphQL(url, query, variables);
  const result = response.body.data?.result;
  const detail: string | undefined = result?.details?.[0]?.code;
  return {
    call,
    status: response.body.errors ? 500 : response.status,
    won: result !== undefined && detail === undefined,
    detail,
    tracking: result?.trackingDetails?.shipment?.trackingReferences?.[0],
  };
}

async function storedHistories(db: Store, references: string[]): Promise<Map<string, StoredAllocation[]>> {
  const rows = await db.db
    .selectFrom("allocations as a")
    .innerJoin("shipments as s", "s.id", "a.shipment_id")
    .select(["s.reference", "a.tracking_references", "a.allocation_date", "a.deallocated_at"])
    .where("s.reference", "in", references)
    .orderBy("a.id")
    .execute();
  const histories = new Map<string, StoredAllocation[]>();
  for (const row of rows) {
    const history = histories.get(row.reference) ?? [];
    history.push({ tracking: row.tracking_references[0], allocatedAt: row.allocation_date, deallocatedAt: row.deallocated_at });
    histories.set(row.reference, history);
  }
  return histories;
}

async function storedStates(db: Store, references: string[]): Promise<Map<string, string>> {
  const rows = await db.db.selectFrom("shipments").select(["reference", "state"]).where("reference", "in", references).execute();
  return new Map(rows.map((row) => [row.reference, row.state]));
}
