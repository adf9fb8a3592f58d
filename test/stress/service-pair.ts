// Two processes of the built service (as `npm start` runs it) on one fresh PostgreSQL database with
// the demo data and the given shipments, for the enclosing describe.
import { afterAll, beforeAll } from "vitest";
import { buildService, startService, type ServiceProcess } from "../support/service-process";
import type { OpenDemoStore, PostgresDemoStore } from "../support/stores";
import { importShipments } from "./shipments";

interface ServicePair {
  db: PostgresDemoStore;
  servers: ServiceProcess[];
}

export function useServicePair(name: string, open: OpenDemoStore<PostgresDemoStore>, shipments: string[]): ServicePair {
  const pair = {} as ServicePair;
  let build: Awaited<ReturnType<typeof buildService>> | undefined;
  beforeAll(async () => {
    [build, pair.db] = await Promise.all([buildService(name), open()]);
    await importShipments(pair.db, shipments);
    pair.servers = await Promise.all([0, 1].map(() => startService(build!.main, pair.db.databaseUrl)));
  });
  afterAll(async () => {
    for (const server of pair.servers ?? []) server.child.kill("SIGKILL");
    await Promise.all((pair.servers ?? []).map((server) => server.exited));
    await pair.db?.dropDatabase();
    build?.remove();
  });
  return pair;
}
