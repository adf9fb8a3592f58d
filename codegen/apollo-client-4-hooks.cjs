// @ts-check
// GraphQL Code Generator plugin: typed React hooks for Apollo Client 4 (`@apollo/client/react`).
// typescript-react-apollo 5.0 emits Apollo Client 3 types (MutationFunction, QueryResult, …) that
// Apollo Client 4 no longer exports, so the hooks are generated here as thin wrappers around
// useQuery/useLazyQuery/useMutation over the TypedDocumentNodes that typed-document-node emits.
const { Kind } = require("graphql");

/** @param {string} name */
function assertPascalCase(name) {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) throw new Error(`Operation ${name}: name operations in PascalCase`);
  return name;
}

/** @param {string} name */
function queryHooks(name) {
  const data = `${name}Query`;
  const variables = `${name}QueryVariables`;
  return [
    `export function use${name}Query(options: useQuery.Options<${data}, ${variables}>) {`,
    `  return useQuery(${name}Document, options);`,
    `}`,
    `export function use${name}LazyQuery(options?: useLazyQuery.Options<${data}, ${variables}>) {`,
    `  return useLazyQuery(${name}Document, options);`,
    `}`,
  ];
}

/** @param {string} name */
function mutationHook(name) {
  return [
    `export function use${name}Mutation(options?: useMutation.Options<${name}Mutation, ${name}MutationVariables>) {`,
    `  return useMutation(${name}Document, options);`,
    `}`,
  ];
}

/** @type {import("@graphql-codegen/plugin-helpers").PluginFunction} */
const plugin = (_schema, documents) => {
  const used = new Set();
  const hooks = [];
  for (const file of documents) {
    for (const definition of file.document?.definitions ?? []) {
      if (definition.kind !== Kind.OPERATION_DEFINITION || !definition.name) continue;
      const name = assertPascalCase(definition.name.value);
      if (definition.operation === "query") {
        used.add("useQuery").add("useLazyQuery");
        hooks.push(...queryHooks(name));
      } else if (definition.operation === "mutation") {
        used.add("useMutation");
        hooks.push(...mutationHook(name));
      }
    }
  }
  const imports = [...used].sort().join(", ");
  return { prepend: [`import { ${imports} } from "@apollo/client/react";`], content: hooks.join("\n") };
};

module.exports = { plugin };
