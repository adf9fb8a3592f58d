// The reference app's production build: `npm run build -w app` writes app/dist, which `npm run app` serves.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
  // the generated hooks live in the repository's client/generated, outside the app's folder
  server: { fs: { allow: [".."] } },
});
