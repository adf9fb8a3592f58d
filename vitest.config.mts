import { createRequire } from "node:module";
import swc from "unplugin-swc";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  // esbuild drops decorator metadata, which type-graphql needs: compile with swc instead
  plugins: [swc.vite({ module: { type: "es6" } })],
  // one graphql realm: code compiled by vite and packages loaded by node must share graphql's CommonJS build
  resolve: {
    alias: [
      { find: /^graphql$/, replacement: require.resolve("graphql") },
      // its ES build imports graphql's ES files by path: its CommonJS build shares graphql's CommonJS build
      { find: /^graphql-query-complexity$/, replacement: require.resolve("graphql-query-complexity") },
    ],
  },
  test: {
    include: ["test/**/*.test.{ts,tsx}"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    server: { deps: { inline: ["type-graphql"] } },
    env: {
      // @apollo/gateway otherwise probes cloud metadata addresses and reports usage to Apollo: nothing may leave loopback
      APOLLO_TELEMETRY_DISABLED: "true",
      METADATA_SERVER_DETECTION: "none",
      // tests that check logs pass their own logger; the default one stays quiet
      LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
    },
  },
});
