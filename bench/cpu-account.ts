// Where the machine's CPU went during one measured run, besides the process answering: PostgreSQL's
// processes (all of them, from /proc, when the database runs on this machine), the bench's own process
// (the load generator of an HTTP run), and how many cores were busy on average. When the cores are all
// busy, req/s is bounded by the CPU every allocation costs on the whole machine, not by one process.
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import type { LoadResult } from "./load";

// /proc's clock ticks (USER_HZ), 100 on Linux
const MS_PER_TICK = 10;

interface Snapshot {
  postgres: Map<string, number>;
  bench: NodeJS.CpuUsage;
  busyTicks: number;
  at: bigint;
}

/** utime + stime in ticks, and the command name, of /proc/<pid>/stat; undefined when it has gone. */
function processTicks(pid: string): { name: string; ticks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = stat.lastIndexOf(")");
    const fields = stat.slice(close + 2).split(" ");
    // after the name: state is field 3, utime and stime fields 14 and 15
    return { name: stat.slice(stat.indexOf("(") + 1, close), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

// none where there is no /proc
function processIds(): string[] {
  try {
    return readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
}

function postgresTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const pid of processIds()) {
    const found = processTicks(pid);
    if (found?.name === "postgres") ticks.set(pid, found.ticks);
  }
  return ticks;
}

// the first line of /proc/stat: all cores' ticks by kind; idle and iowait are the two not busy
function machineBusyTicks(): number {
  try {
    const [, ...values] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
    const ticks = values.map(Number);
    return ticks.reduce((sum, value) => sum + value, 0) - ticks[3] - ticks[4];
  } catch {
    return NaN;
  }
}

function snapshot(): Snapshot {
  return { postgres: postgresTicks(), bench: process.cpuUsage(), busyTicks: machineBusyTicks(), at: process.hrtime.bigint() };
}

/**
 * Runs `run` and adds to its result the CPU per request of PostgreSQL's processes and of this process,
 * and the busy cores. A backend started during the run counts whole; one that ended during it is lost
 * (the pools' connections live across a run).
 */
export async function accounted(run: () => Promise<LoadResult>): Promise<LoadResult> {
  const before = snapshot();
  const result = await run();
  const after = snapshot();
  let postgresTicksSpent = 0;
  for (const [pid, ticks] of after.postgres) postgresTicksSpent += ticks - (before.postgres.get(pid) ?? 0);
  const bench = process.cpuUsage(before.bench);
  const seconds = Number(after.at - before.at) / 1e9;
  return {
    ...result,
    postgresCpuMsPerRequest: after.postgres.size ? (postgresTicksSpent * MS_PER_TICK) / result.requests : undefined,
    benchCpuMsPerRequest: (bench.user + bench.system) / 1000 / result.requests,
    busyCores: ((after.busyTicks - before.busyTicks) * MS_PER_TICK) / 1000 / seconds,
  };
}

/** What a run limited by the machine's CPU alone could reach: CPU per request on the whole machine. */
export function machineCpuMs(result: LoadResult): number | undefined {
  if (result.cpuMsPerRequest === undefined || result.postgresCpuMsPerRequest === undefined) return undefined;
  return result.cpuMsPerRequest + result.postgresCpuMsPerRequest + (result.benchCpuMsPerRequest ?? 0);
}

export const CORES = os.cpus().length;
