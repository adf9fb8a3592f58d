import pino from "pino";

/**
 * Where log lines go: written in batches of 4 KB, since one write per request cost ≈ 8% of the CPU
 * under load (a syscall and a thread-pool hand-off each). A quiet service still shows its lines
 * within a second; pino flushes the rest at exit and after a fatal line.
 */
export function bufferedDestination(dest: number | string = 1): pino.DestinationStream & { flush(cb?: (error?: Error) => void): void } {
  const destination = pino.destination({ dest, sync: false, minLength: 4096 });
  // with a callback: a destination already ended at exit reports it there instead of throwing
  setInterval(() => destination.flush(() => undefined), 1000).unref();
  return destination;
}

export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? "info",
    base: { service: "allocation-subgraph" },
    // keys and headers that could carry credentials never reach the log
    redact: ["req.headers['x-api-key']", "req.headers['router-authorization']", "apiKey"],
  },
  bufferedDestination(),
);
