# The allocation subgraph as a container image (README: "Container image"). Two stages: the build
# compiles TypeScript with the devDependencies; the runtime has production dependencies only.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# patches/: npm ci's postinstall applies them (patch-package)
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY data ./data
# compiles src/ (and the data set's JSON schema) into dist/, and copies the migrations and Playground's vendored assets beside it
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=4001 \
    DATA_DIR=/app/.data
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# the demo data set (seeds an empty embedded store) and the data set schema
COPY data ./data
# the embedded store's folder, for runs without DATABASE_URL; owned by the unprivileged user
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 4001
# liveness only (a database outage is /ready's business); node's fetch: the slim image has no curl
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself, not npm start (which would build first, and needs TypeScript): it gets SIGTERM and drains;
# the heap cap as npm start's (README "Memory")
CMD ["node", "--max-old-space-size=192", "dist/src/main.js"]
