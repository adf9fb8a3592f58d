import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { sendError } from "./errors";

export const ROUTER_SECRET_HEADER = "router-authorization";

// SHA-256 digests: equal-length buffers for timingSafeEqual, and a wrong length leaks nothing either
const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * With a secret configured, only callers presenting it (the router) reach GraphQL: anything else gets
 * 401 UNAUTHENTICATED before the body is parsed or any SQL runs. Without a secret it lets all through.
 */
export function routerSecret(secret: string | undefined): RequestHandler {
  if (!secret) return (_req, _res, next) => next();
  const expected = digest(secret);
  return (req, res, next) => {
    const presented = req.headers[ROUTER_SECRET_HEADER];
    if (typeof presented === "string" && timingSafeEqual(digest(presented), expected)) return next();
    sendError(res, 401, "UNAUTHENTICATED", `A valid ${ROUTER_SECRET_HEADER} header is required`);
  };
}
