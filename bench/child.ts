// Child processes of the bench, pinned to one core with taskset when it is there, talking over IPC.
import { execFileSync, fork, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const TASKSET = ["/usr/bin/taskset", "/bin/taskset"].find((file) => existsSync(file));

export const pinningAvailable = Boolean(TASKSET);

/** Pins this process (the load generator) to a core. */
export function pinSelf(core: number): void {
  if (!TASKSET) return;
  execFileSync(TASKSET, ["-cp", String(core), String(process.pid)], { stdio: "ignore" });
}

export interface ChildOptions {
  core?: number;
  execArgv?: string[];
  /** The script's path, when it is not dist/bench/<script>.js of this build (--compare: the other build's). */
  file?: string;
}

// the servers under test run with the heap cap of `npm start` and the Dockerfile (test/deploy/heap-cap.test.ts)
export const SERVER_NODE_FLAGS = ["--max-old-space-size=192"];
// the import measured with the heap cap of `npm run import` (the same test): its peak RSS is then what it keeps, not what V8 put off collecting
export const IMPORT_NODE_FLAGS = ["--max-old-space-size=96"];

function forkPinned(script: string, args: string[], env: NodeJS.ProcessEnv, options: ChildOptions): ChildProcess {
  const file = options.file ?? path.join(__dirname, `${script}.js`);
  const nodeArgs = options.execArgv ?? (script === "server-child" ? SERVER_NODE_FLAGS : []);
  const pinned = TASKSET !== undefined && options.core !== undefined;
  return fork(file, args, {
    env,
    // taskset execs node: same pid, and the IPC descriptor is inherited
    execPath: pinned ? TASKSET : process.execPath,
    execArgv: pinned ? ["-c", String(options.core), process.execPath, ...nodeArgs] : nodeArgs,
    // the subgraph logs every request: kept out of the bench's output
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
}

/** Runs dist/bench/<script>.js to its end and returns what it sent as {result} (a measuring tool run as a child). */
export function runScript<T>(script: string, args: string[], env: NodeJS.ProcessEnv, options: ChildOptions = {}): Promise<T> {
  const child = forkPinned(script, args, env, options);
  return new Promise((resolve, reject) => {
    let result: T | undefined;
    child.on("message", (message: Record<string, unknown>) => {
      if ("result" in message) result = message.result as T;
    });
    child.once("exit", (code) =>
      code === 0 && result !== undefined ? resolve(result) : reject(new Error(`${script} exited with ${code}${result === undefined ? " without a result" : ""}`)),
    );
  });
}

export class Child {
  private constructor(
    readonly name: string,
    private readonly process: ChildProcess,
    readonly ready: Record<string, unknown>,
  ) {}

  /** Starts dist/bench/<script>.js (or options.file: another build's) with IPC and waits for its "ready" message. */
  static async start(name: string, script: string, args: string[], env: NodeJS.ProcessEnv, options: ChildOptions = {}): Promise<Child> {
    const child = forkPinned(script, args, env, options);
    const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
      child.on("message", (message: Record<string, unknown>) => {
        if ("ready" in message) resolve(message);
      });
    });
    child.removeAllListeners("exit");
    return new Child(name, child, ready);
  }

  get pid(): number {
    return this.process.pid!;
  }

  /** The resident set size in bytes, from /proc (0 where there is none). */
  rss(): number {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, "utf8");
      const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
      return kb ? Number(kb) * 1024 : 0;
    } catch {
      return 0;
    }
  }

  /** CPU time used so far (user + system), in ms, from /proc (0 where there is none). */
  cpuMs(): number {
    try {
      // fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 10 ms; the name (field 2) has no spaces here
      const fields = readFileSync(`/proc/${this.pid}/stat`, "utf8").split(" ");
      return (Number(fields[13]) + Number(fields[14])) * 10;
    } catch {
      return 0;
    }
  }

  /** Sends a message and waits for the answer that has `key`. */
  ask<T>(message: unknown, key: string): Promise<T> {
    return new Promise((resolve) => {
      const listener = (answer: Record<string, unknown>) => {
        if (!(key in answer)) return;
        this.process.off("message", listener);
        resolve(answer[key] as T);
      };
      this.process.on("message", listener);
      this.process.send(message as string);
    });
  }

  /** Asks for a normal exit (so a CPU profile is written), killing it after a grace period. */
  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.process.once("exit", () => resolve()));
    this.process.send("exit");
    const timer = setTimeout(() => this.process.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
