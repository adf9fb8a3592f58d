import type { RequestHandler } from "express";
import type { ServerResponse } from "node:http";
import { sendError } from "../http/errors";
import { RETRY_AFTER_SECONDS, serviceUnavailableError } from "./unavailable";

/**
 * At most `limit` GraphQL requests in flight: the next one is refused at once with 503, Retry-After
 * and SERVICE_UNAVAILABLE, before GraphQL parsing or any SQL, so that a burst waits in its clients
 * instead of in the connection pool (where it would time out after having done part of its work).
 * Mounted after the body is read, so that a client sending its body slowly holds no slot.
 */
export interface Admission {
  /** Takes a slot for this response, until it is sent or its connection is gone; false when none is free. */
  enter(res: ServerResponse): boolean;
  /** The express handler: enters, or refuses with 503. */
  handler: RequestHandler;
}

/** One count of requests in flight, shared by the express chain and the GraphQL lane (src/http/graphql-lane.ts). */
export function admission(limit: number, onRefused: () => void): Admission {
  let inFlight = 0;
  const enter = (res: ServerResponse) => {
    if (inFlight >= limit) return false;
    inFlight++;
    // once per response: when it is sent, or when its connection is gone first
    res.once("close", () => inFlight--);
    return true;
  };
  return {
    enter,
    handler: (_req, res, next) => {
      if (enter(res)) return next();
      onRefused();
      const { message, extensions } = serviceUnavailableError();
      sendError(res.set("retry-after", String(RETRY_AFTER_SECONDS)), 503, String(extensions.code), message);
    },
  };
}
