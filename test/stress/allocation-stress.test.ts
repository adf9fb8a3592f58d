// Two server processes (the built service, as `npm start` runs it) on one PostgreSQL database.
import { expect, it } from "vitest";
import type { Store } from "../../src/store/store";
import { allocateMutation, type AllocateKind } from "../api/api";
import { postGraphQL } from "../observability/harness";
import type { ServiceProcess } from "../support/service-process";
import { describeOnPostgres } from "../support/stores";
import { useServicePair } from "./service-pair";
import { referenceMaker } from "./shipments";

const ROUNDS = 100;
const CONCURRENT = 50;
// every one of these can carry a scheduled 1 kg parcel to GB
const ATTEMPTS: [AllocateKind, string][] = [
  ["carrierService", "DPD-00012"],
  ["carrierService", "RM-00024"],
  ["carrierService", "RM-00048"],
  ["serviceGroup", "NEXT_DAY"],
  ["serviceGroup", "UK_ECONOMY"],
  ["virtual", "DPD-00012"],
  ["virtual", "NEXT_DAY"],
  ["virtual", "UK_ECONOMY"],
];

interface Answer {
  status: number;
  state?: string;
  detail?: string;
  tracking?: string;
}

describeOnPostgres("allocation under concurrent load on two server processes", (open) => {
  const ref = referenceMaker();
  const shipments = Array.from({ length: ROUNDS }, (_, i) => ref(i));
  const pair = useServicePair("stress", open, shipments);

  it(`${ROUNDS} rounds × ${CONCURRENT} concurrent allocations: one winner per shipment, stored as answered`, async () => {
    // Act
    const rounds: Answer[][] = [];
    for (const shipmentRef of shipments) {
      rounds.push(await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => attempt(pair.servers[i % 2], shipmentRef, i))));
    }

    // Assert: no 5xx, and every answer is a win or "already allocated"
    const answers = rounds.flat();
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const winners = rounds.map((round) => round.filter((a) => a.state === "ALLOCATED" && a.detail === undefined));
    expect(winners.map((w) => w.length)).toEqual(shipments.map(() => 1));
    const losers = answers.filter((a) => !(a.state === "ALLOCATED" && a.detail === undefined));
    expect(new Set(losers.map((a) => a.detail))).toEqual(new Set(["shipment_invalid_state"]));
    // stored allocations are exactly the winners, with the tracking references they were told
    const stored = await storedTracking(pair.db, shipments);
    expect(stored).toEqual(new Map(shipments.map((s, i) => [s, winners[i][0].tracking])));
    expect(new Set(stored.values()).size).toBe(ROUNDS);
  });
});

async function attempt(server: ServiceProcess, shipmentRef: string, i: number): Promise<Answer> {
  const [kind, reference] = ATTEMPTS[i % ATTEMPTS.length];
  const response = await postGraphQL(`${server.origin}/graphql`, allocateMutation(kind), { shipmentRef, ref: reference });
  const result = response.body.data?.result;
  return {
    status: response.status,
    state: result?.state,
    detail: result?.details?.[0]?.code,
    tracking: result?.trackingDetails?.shipment?.trackingReferences?.[0],
  };
}

async function storedTracking(db: Store, references: string[]): Promise<Map<string, string | undefined>> {
  const rows = await db.db
    .selectFrom("allocations as a")
    .innerJoin("shipments as s", "s.id", "a.shipment_id")
    .select(["s.reference", "a.tracking_references"])
    .where("s.reference", "in", references)
    .execute();
  const byRef = new Map(rows.map((r) => [r.reference, r.tracking_references]));
  expect(rows.every((r) => r.tracking_references.length === 1)).toBe(true);
  return new Map(references.filter((r) => byRef.has(r)).map((r) => [r, byRef.get(r)![0]]));
}
