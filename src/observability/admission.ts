import type { RequestHandler } from "express";
import { sendError } from "../http/errors";
import { RETRY_AFTER_SECONDS, serviceUnavailableError } from "./unavailable";

/**
 * At most `limit` GraphQL requests in flight: the next one is refused at once with 503, Retry-After
 * and SERVICE_UNAVAILABLE, before GraphQL parsing or any SQL, so that a burst waits in its clients
 * instead of in the connection pool (where it would time out after having done part of its work).
 * Mounted after the body is read, so that a client sending its body slowly holds no slot.
 */
export function admission(limit: number, onRefused: () => void): RequestHandler {
  let inFlight = 0;
  return (_req, res, next) => {
    if (inFlight >= limit) {
      onRefused();
      const { message, extensions } = serviceUnavailableError();
      sendError(res.set("retry-after", String(RETRY_AFTER_SECONDS)), 503, String(extensions.code), message);
      return;
    }
    inFlight++;
    // once per response: when it is sent, or when its connection is gone first
    res.once("close", () => inFlight--);
    next();
  };
}
