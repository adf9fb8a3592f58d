// @ts-check
// GraphQL Code Generator plugin: what an Apollo Client 4 app needs to send its operations by id.
// The ids come from the persisted query manifest (Apollo's generate-persisted-query-manifest writes
// it first in `npm run codegen`); only names and ids go into the app, the bodies stay in the manifest.
const { readFileSync } = require("node:fs");
const { Kind } = require("graphql");

/** @param {import("graphql").DocumentNode[]} documents */
function operationNames(documents) {
  return documents.flatMap((document) =>
    document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : [])),
  );
}

/** @type {import("@graphql-codegen/plugin-helpers").PluginFunction<{ manifest: string }>} */
const plugin = (_schema, files, config) => {
  /** @type {{ operations: { name: string; id: string }[] }} */
  const manifest = JSON.parse(readFileSync(config.manifest, "utf8"));
  const names = operationNames(files.flatMap((file) => (file.document ? [file.document] : []))).sort();
  const listed = manifest.operations.map((o) => o.name).sort();
  // an app sending an id the router does not know fails at run time: refuse a stale manifest now
  if (JSON.stringify(names) !== JSON.stringify(listed)) {
    throw new Error(`${config.manifest} lists [${listed}] but the documents define [${names}]: run \`npm run codegen\``);
  }
  const entries = manifest.operations.map((o) => `    { name: ${JSON.stringify(o.name)}, id: ${JSON.stringify(o.id)} },`);
  return {
    prepend: [
      `import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";`,
      `import { generatePersistedQueryIdsFromManifest } from "@apollo/persisted-query-lists";`,
    ],
    content: [
      `/** Each operation's id in ${config.manifest} (the list a router is given), without the bodies. */`,
      `export const persistedQueryIds = {`,
      `  operations: [`,
      ...entries,
      `  ],`,
      `};`,
      ``,
      `/** Apollo Client 4's link that sends each operation as its id, not its text; put it before the HttpLink. */`,
      `export function createPersistedQueryLink(): PersistedQueryLink {`,
      `  return new PersistedQueryLink(generatePersistedQueryIdsFromManifest({ loadManifest: () => persistedQueryIds }));`,
      `}`,
      ``,
    ].join("\n"),
  };
};

module.exports = { plugin };
