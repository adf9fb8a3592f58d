import pino from "pino";

export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "allocation-subgraph" },
  // keys and headers that could carry credentials never reach the log
  redact: ["req.headers['x-api-key']", "req.headers['router-authorization']", "apiKey"],
  // asynchronous: lines written while a write is in flight go out together, not one syscall per request
}, pino.destination({ sync: false }));
