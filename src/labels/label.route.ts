// Rule numbers: docs/allocation-rules.md
import type { RequestHandler } from "express";
import { createLoaders } from "../graphql/loaders";
import { isStoreUnavailable, serviceUnavailableError, SERVICE_UNAVAILABLE } from "../observability/unavailable";
import type { Store } from "../store";
import { cachedAccountByApiKey } from "../store/cache/cached-reads";
import type { LabelFormat } from "./label.data";
import { CONTENT_TYPES, LABEL_FORMATS, renderLabel } from "./label.render";
import { findLabelSubject } from "./label.subject";

export const LABEL_PATH = "/labels/:shipmentRef/:format";

/**
 * Rule 20: GET /labels/{ref}/pdf and /zpl with the caller's x-api-key (checked first: 401), for a
 * shipment of that account with an allocation in force; anything else is 404 label_not_found.
 */
export function labelRoute(store: Store): RequestHandler<{ shipmentRef: string; format: string }> {
  return async (req, res, next) => {
    try {
      const apiKey = req.get("x-api-key");
      const account = apiKey ? await cachedAccountByApiKey(store.db, store.caches, apiKey) : null;
      if (!account) {
        res.status(401).json({ code: "UNAUTHENTICATED", message: "A valid x-api-key header is required" });
        return;
      }
      const { shipmentRef, format } = req.params;
      const known = isLabelFormat(format) ? format : null;
      const label = known && (await findLabelSubject(createLoaders(store.db, store.caches, account.id), shipmentRef));
      if (!known || !label) {
        res.status(404).json({ code: "label_not_found", message: `No ${format} label for shipment ${JSON.stringify(shipmentRef)}` });
        return;
      }
      const content = await renderLabel(known, label);
      res
        .status(200)
        // labels are account data: nobody caches them
        .set({
          "content-type": CONTENT_TYPES[known],
          "content-length": String(content.length),
          "cache-control": "no-store",
          "content-disposition": `inline; filename="${label.shipmentReference}.${known}"`,
        })
        // end, not send: a label is never cached, so no ETag to hash it for
        .end(content);
    } catch (error) {
      if (!isStoreUnavailable(error)) return next(error);
      res.status(503).json({ code: SERVICE_UNAVAILABLE, message: serviceUnavailableError().message });
    }
  };
}

function isLabelFormat(format: string): format is LabelFormat {
  return (LABEL_FORMATS as readonly string[]).includes(format);
}
