// What /graphql refuses before the body is read, with plain messages that name no framework.
import type { RequestHandler } from "express";
import { sendError } from "./errors";

// what a browser sends cross-site without a CORS preflight: no content type, or one of these
const SIMPLE_CONTENT_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]);
// custom headers, so a browser sends a preflight first: a client that GETs can send one of them
const PREFLIGHT_HEADERS = ["apollo-require-preflight", "x-apollo-operation-name"];

/** GraphQL over HTTP is GET and POST; anything else gets 405 (CORS preflights are answered before). */
export const getOrPostOnly: RequestHandler = (req, res, next) => {
  if (req.method === "GET" || req.method === "POST") return next();
  res.setHeader("allow", "GET, POST");
  sendError(res, 405, "BAD_REQUEST", "Only GET and POST requests are accepted");
};

/**
 * CSRF prevention, Apollo's rule: a request a browser could send cross-site without a preflight (a
 * GET, a form or text POST) must carry a header that forces one. Apollo's own check stays on behind it.
 */
export const csrfPrevention: RequestHandler = (req, res, next) => {
  const type = req.headers["content-type"]?.split(";")[0]!.trim().toLowerCase();
  const simple = type === undefined || SIMPLE_CONTENT_TYPES.has(type);
  if (!simple || PREFLIGHT_HEADERS.some((name) => req.headers[name])) return next();
  sendError(res, 400, "BAD_REQUEST", "Refused as a possible cross-site request forgery (CSRF): send the request with content-type: application/json");
};
