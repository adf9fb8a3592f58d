import type { RequestHandler } from "express";
import type { Store } from "../store";

export interface Readiness {
  /** True when the store answers `SELECT 1` (outside the request pool) within the timeout and shutdown has not begun. */
  check(): Promise<boolean>;
  /** From now on /ready answers 503, so the router stops sending traffic here. */
  beginShutdown(): void;
  readonly shuttingDown: boolean;
  /** GET /ready: 200 {status:"ready"} or 503 {status:"unavailable"}. */
  readonly handler: RequestHandler;
}

const DEFAULT_TIMEOUT_MS = 1_000;

export function createReadiness(store: Store, timeoutMs = DEFAULT_TIMEOUT_MS): Readiness {
  let shuttingDown = false;
  const check = async () => {
    if (shuttingDown) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const probe = store.ping(timeoutMs).then(
      () => true,
      () => false,
    );
    try {
      return (await Promise.race([probe, timeout])) && !shuttingDown;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    check,
    beginShutdown: () => {
      shuttingDown = true;
    },
    get shuttingDown() {
      return shuttingDown;
    },
    handler: (_req, res) => {
      void check().then((ready) => {
        res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "unavailable" });
      });
    },
  };
}
