// Type-checked lint for the whole TypeScript code base (npm run lint; part of npm test).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "client/generated/", "src/http/playground/graphql-playground-react/", "coverage/", ".test-cache/", "app/dist/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    rules: {
      // Apollo's plugin hooks and context functions are typed to return promises: `async` is how they are written
      "@typescript-eslint/require-await": "off",
      // a leading underscore marks what is left out on purpose (destructured away, an unused express argument)
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ["vitest.config.mts"] }, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // tests and the bench read JSON answers whose shape their assertions check: typing every answer would add nothing
    files: ["test/**", "bench/**"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-call": "off",
    },
  },
  {
    // plain config files, and the app's Vite config (vite's types are the app workspace's, not the root project's)
    files: ["**/*.cjs", "**/*.mjs", "app/vite.config.mts"],
    extends: [tseslint.configs.disableTypeChecked],
    // CommonJS files (the codegen plugin GraphQL Code Generator loads) import with require by nature
    rules: { "@typescript-eslint/no-require-imports": "off" },
    languageOptions: { globals: { require: "readonly", module: "writable", __dirname: "readonly", process: "readonly", console: "readonly" } },
  },
);
