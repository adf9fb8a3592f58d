import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postGraphQL } from "../observability/harness";
import { buildService, startService, type ServiceProcess } from "../support/service-process";

const EXAMPLE = "sp_00802615769404976542730318118912";
const SHIPMENT = `query ($reference: ID!) { shipment(reference: $reference) { state } }`;

// The built service on the embedded store, as a supervisor runs it: one DATA_DIR, real processes.
describe("the embedded store's lock", () => {
  let build: Awaited<ReturnType<typeof buildService>>;
  let dataDir: string;
  let holder: ServiceProcess;
  const started: ServiceProcess[] = [];
  const start = async () => {
    // an empty DATABASE_URL counts as unset: the service opens PGlite in DATA_DIR
    const service = await startService(build.main, "", { DATA_DIR: dataDir });
    started.push(service);
    return service;
  };

  beforeAll(async () => {
    [build, dataDir] = await Promise.all([buildService("crash"), mkdtemp(path.join(tmpdir(), "alloc-crash-"))]);
    holder = await start();
  });
  afterAll(async () => {
    for (const service of started) service.child.kill("SIGKILL");
    await Promise.all(started.map((s) => s.exited));
    build?.remove();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("refuses a second process while the holder lives, naming the holder", async () => {
    await expect(start()).rejects.toThrow(`is in use by another process (pid ${holder.child.pid}, a running service?)`);
  });

  it("lets the service restart at once after the holder is killed with SIGKILL", async () => {
    holder.child.kill("SIGKILL");
    await holder.exited;

    const restarted = await start();

    const response = await postGraphQL(`${restarted.origin}/graphql`, SHIPMENT, { reference: EXAMPLE });
    expect(response.body).toEqual({ data: { shipment: { state: "UNALLOCATED" } } });
  });
});
