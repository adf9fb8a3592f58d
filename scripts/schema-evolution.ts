import { CriticalityLevel, diff, type Change } from "@graphql-inspector/core";
import { buildSchema } from "graphql";
import { z } from "zod";

/** A breaking change that was decided on: matched by the change's message and path. */
export const acknowledgementSchema = z.array(
  z.object({
    message: z.string().min(1),
    path: z.string().min(1).optional(),
    reason: z.string().min(1, "say why apps in users' hands keep working"),
  }),
);
export type Acknowledgement = z.infer<typeof acknowledgementSchema>[number];

export interface EvolutionReport {
  breaking: Change[];
  /** The breaking changes that no acknowledgement covers: any of them fails the check. */
  unacknowledged: Change[];
  safe: Change[];
}

// the subgraph SDL uses federation directives that it does not define: build it without validating them
const build = (sdl: string) => buildSchema(sdl, { assumeValidSDL: true });

const covers = (ack: Acknowledgement, change: Change) =>
  ack.message === change.message && (ack.path === undefined || ack.path === change.path);

/** Compares the committed schema with the one the code prints now (@graphql-inspector/core). */
export async function checkEvolution(
  committedSdl: string,
  currentSdl: string,
  acknowledged: Acknowledgement[] = [],
): Promise<EvolutionReport> {
  const changes = await diff(build(committedSdl), build(currentSdl));
  const breaking = changes.filter((change) => change.criticality.level === CriticalityLevel.Breaking);
  return {
    breaking,
    unacknowledged: breaking.filter((change) => !acknowledged.some((ack) => covers(ack, change))),
    safe: changes.filter((change) => change.criticality.level !== CriticalityLevel.Breaking),
  };
}
