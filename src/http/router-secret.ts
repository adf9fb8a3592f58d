import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { sendError } from "./errors";

export const ROUTER_SECRET_HEADER = "router-authorization";

// SHA-256 digests: equal-length buffers for timingSafeEqual, and a wrong length leaks nothing either
const digest = (value: string) => createHash("sha256").update(value).digest();

/** Whether a request presenting this header value may reach GraphQL: always, when no secret is configured. */
export function routerSecretCheck(secret: string | undefined): (presented: string | string[] | undefined) => boolean {
  if (!secret) return () => true;
  const expected = digest(secret);
  return (presented) => typeof presented === "string" && timingSafeEqual(digest(presented), expected);
}

/**
 * With a secret configured, only callers presenting it (the router) reach GraphQL: anything else gets
 * 401 UNAUTHENTICATED before the body is parsed or any SQL runs. Without a secret it lets all through.
 */
export function routerSecret(secret: string | undefined): RequestHandler {
  if (!secret) return (_req, _res, next) => next();
  const accepts = routerSecretCheck(secret);
  return (req, res, next) => {
    if (accepts(req.headers[ROUTER_SECRET_HEADER])) return next();
    sendError(res, 401, "UNAUTHENTICATED", `A valid ${ROUTER_SECRET_HEADER} header is required`);
  };
}
