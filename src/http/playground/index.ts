// GraphQL Playground at GET /graphql for browsers, working offline: the page's script, stylesheet
// and favicon are served from the copy of the prebuilt bundle beside this file, never from a CDN.
import { renderPlaygroundPage } from "@apollographql/graphql-playground-html";
import express, { type RequestHandler } from "express";
import path from "node:path";
import type { Config } from "../../config/config";
import { LIFECYCLE_TABS } from "./lifecycle-tabs";

const REACT_PACKAGE = "@apollographql/graphql-playground-react";
/** Where the assets are served; renderPlaygroundPage asks for `${cdnUrl}/${package}/build/…`. */
export const PLAYGROUND_ASSETS_PATH = "/playground-assets";
/** The files of the package's build that the page links, vendored by scripts/vendor-playground.sh. */
const BUILD_DIR = path.join(__dirname, "graphql-playground-react", "build");

const EXAMPLE = `# The documented example: allocate a demo shipment to the carrier service FF_LINET-00001.
mutation Allocate($shipmentRef: ID!, $virtualServiceRef: ID!) {
  allocateShipmentWithVirtualService(shipmentRef: $shipmentRef, virtualServiceRef: $virtualServiceRef) {
    __typename
    ... on AllocateResult {
      shipmentReference
      state
      trackingDetails { shipment { reference trackingReferences } }
      message
      price { net gross currency }
      carrier { reference name serviceReference serviceName }
      correlationId
      details { code message property }
    }
    ... on AmbiguousReferenceError { reference carrierService { reference } serviceGroup { reference } }
    ... on ApiError { code message correlationId }
  }
}
`;
const EXAMPLE_VARIABLES = { shipmentRef: "sp_00802615769404976542730318118912", virtualServiceRef: "FF_LINET-00001" };
const EXAMPLE_HEADERS = { "x-api-key": "demo-api-key" };

/** The playground's build folder, for express.static at PLAYGROUND_ASSETS_PATH/<package>/build. */
export function playgroundAssets(): express.Router {
  return express.Router().use(`/${REACT_PACKAGE}/build`, express.static(BUILD_DIR, { index: false }));
}

/**
 * Mounted on /graphql before Apollo: answers a browser's plain GET with the page; anything else
 * (POST, a GET with ?query=, Accept: application/json) goes on to Apollo.
 */
export function playgroundPage(config: Pick<Config, "playground">): RequestHandler {
  return (req, res, next) => {
    const wantsPage = req.method === "GET" && req.path === "/" && req.query.query === undefined;
    if (!config.playground || !wantsPage || req.accepts(["application/json", "text/html"]) !== "text/html") return next();
    res.type("html").send(renderPage(req.baseUrl));
  };
}

function renderPage(endpoint: string): string {
  const html = renderPlaygroundPage({
    endpoint,
    cdnUrl: PLAYGROUND_ASSETS_PATH,
    title: "Allocation subgraph – GraphQL Playground",
    settings: { "request.credentials": "omit", "schema.polling.enable": false, "editor.reuseHeaders": true },
    tabs: [
      {
        endpoint,
        name: "Allocate (documented example)",
        query: EXAMPLE,
        variables: JSON.stringify(EXAMPLE_VARIABLES, null, 2),
        headers: EXAMPLE_HEADERS,
      },
      ...LIFECYCLE_TABS.map((tab) => ({ endpoint, ...tab, variables: JSON.stringify(tab.variables, null, 2), headers: EXAMPLE_HEADERS })),
    ],
  });
  // the page template links Google Fonts; without it the page falls back to local fonts, offline
  return html.replace(/<link href="https:\/\/fonts\.googleapis\.com[^>]*>/, "");
}
