// The app reaches the API only through the generated hooks (issue 14): its source may import React,
// the generated hooks and types, and Apollo Client only to build the client (app/src/api/) and
// provide it; no raw documents, no other GraphQL client, no fetch.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { generatedOperationNames } from "./operations";

const APP_SRC = path.resolve(__dirname, "../../app/src");
const GENERATED = path.resolve(__dirname, "../../client/generated");

/** Globals that send requests by themselves. */
const NETWORK_GLOBALS = new Set(["fetch", "XMLHttpRequest", "WebSocket", "EventSource", "sendBeacon", "importScripts"]);

/** What a file may import from each package, by named binding; "*" for anything. */
function allowedBindings(moduleName: string, file: string): Set<string> | "*" | undefined {
  const inApiFolder = path.dirname(file) === path.join(APP_SRC, "api");
  switch (moduleName) {
    case "react":
    case "react-dom/client":
      return "*";
    case "@apollo/client/react":
      return new Set(["ApolloProvider"]);
    case "@apollo/client":
      return inApiFolder ? "*" : undefined;
    default:
      return undefined;
  }
}

/** The API boundary's violations in one source file, as "line: what". */
function violations(file: string, source: string): string[] {
  const found: string[] = [];
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const report = (node: ts.Node, what: string) =>
    found.push(`${sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${what}`);

  const checkModule = (node: ts.Node, moduleName: string, names: string[]) => {
    if (moduleName.startsWith(".")) {
      const target = path.resolve(path.dirname(file), moduleName);
      if (target.startsWith(GENERATED + path.sep)) {
        // hooks and types only: a raw *Document could be sent by other means than its hook
        for (const name of names.filter((n) => n.endsWith("Document"))) report(node, `imports the raw document ${name}`);
      } else if (!target.startsWith(APP_SRC + path.sep)) {
        report(node, `imports ${moduleName}, outside the app and the generated hooks`);
      }
      return;
    }
    const allowed = allowedBindings(moduleName, file);
    if (allowed === undefined) report(node, `imports ${moduleName}`);
    else if (allowed !== "*") for (const name of names.filter((n) => !allowed.has(n))) report(node, `imports ${name} from ${moduleName}`);
  };

  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      checkModule(node, node.moduleSpecifier.text, boundNames(node));
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [specifier] = node.arguments;
      if (specifier && ts.isStringLiteral(specifier)) checkModule(node, specifier.text, ["*"]);
      else report(node, "imports a computed module name");
    } else if (ts.isIdentifier(node) && NETWORK_GLOBALS.has(node.text) && !isPropertyName(node)) {
      report(node, `uses ${node.text}`);
    } else if (ts.isPropertyAccessExpression(node) && NETWORK_GLOBALS.has(node.name.text)) {
      report(node, `uses ${node.name.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function boundNames(node: ts.ImportDeclaration | ts.ExportDeclaration): string[] {
  if (ts.isExportDeclaration(node)) {
    return node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements.map((e) => (e.propertyName ?? e.name).text) : ["*"];
  }
  const clause = node.importClause;
  if (!clause) return [];
  const names = clause.name ? ["default"] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push("*");
  if (bindings && ts.isNamedImports(bindings)) names.push(...bindings.elements.map((e) => (e.propertyName ?? e.name).text));
  return names;
}

// `{ fetch: … }` or `x.fetch` names a property, not the global (property access is checked on its own)
function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node);
}

function appFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return appFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe("the app reaches the API only through the generated hooks", () => {
  const screen = path.join(APP_SRC, "screens", "Example.tsx");
  const api = path.join(APP_SRC, "api", "client.ts");

  it.each([
    ["useQuery from Apollo", `import { useQuery } from "@apollo/client/react";`, "1: imports useQuery from @apollo/client/react"],
    ["useMutation, renamed", `import { useMutation as m } from "@apollo/client/react";`, "1: imports useMutation from @apollo/client/react"],
    ["the client outside api/", `import { ApolloClient } from "@apollo/client";`, "1: imports @apollo/client"],
    ["a namespace import", `import * as Apollo from "@apollo/client/react";`, "1: imports * from @apollo/client/react"],
    ["gql", `import { gql } from "@apollo/client";`, "1: imports @apollo/client"],
    ["graphql-tag", `import gql from "graphql-tag";`, "1: imports graphql-tag"],
    ["graphql", `import { print } from "graphql";`, "1: imports graphql"],
    ["a raw document", `import { ShipmentDocument } from "../../../client/generated/graphql";`, "1: imports the raw document ShipmentDocument"],
    ["a file outside the app", `import { x } from "../../../src/store";`, "1: imports ../../../src/store, outside the app and the generated hooks"],
    ["a re-export", `export { useApolloClient } from "@apollo/client/react";`, "1: imports useApolloClient from @apollo/client/react"],
    ["fetch", `const r = await fetch("/graphql");`, "1: uses fetch"],
    ["window.fetch", `void window.fetch("/graphql");`, "1: uses fetch"],
    ["XMLHttpRequest", `const x = new XMLHttpRequest();`, "1: uses XMLHttpRequest"],
    ["sendBeacon", `navigator.sendBeacon("/graphql");`, "1: uses sendBeacon"],
    ["a dynamic import", `const m = await import("graphql");`, "1: imports graphql"],
  ])("refuses %s", (_name, source, expected) => {
    expect(violations(screen, source)).toEqual([expected]);
  });

  it("accepts the generated hooks and types, React, ApolloProvider, and the client built in api/", () => {
    const componentSource = [
      `import { useState } from "react";`,
      `import { ApolloProvider } from "@apollo/client/react";`,
      `import { useShipmentLazyQuery, type ShipmentQuery } from "../../../client/generated/graphql";`,
      `import { problemOf } from "../api/problems";`,
      `const options = { fetch: 1 };`,
    ].join("\n");
    expect(violations(screen, componentSource)).toEqual([]);
    expect(violations(api, `import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";`)).toEqual([]);
  });

  it("holds for every file in app/src", () => {
    const files = appFiles(APP_SRC);
    expect(files.length).toBeGreaterThan(5);
    const found = files.flatMap((file) => violations(file, readFileSync(file, "utf8")).map((v) => `${path.relative(APP_SRC, file)}:${v}`));
    expect(found).toEqual([]);
  });

  it("uses the hook of every operation in schema/operations", () => {
    const names = generatedOperationNames();
    const source = appFiles(APP_SRC)
      .map((file) => readFileSync(file, "utf8"))
      .join("\n");

    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !new RegExp(`\\buse${name}(Lazy)?(Query|Mutation)\\b`).test(source))).toEqual([]);
  });
});
