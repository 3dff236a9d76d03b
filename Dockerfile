# syntax=docker/dockerfile:1
#
# Stages (docker build --target NAME .):
#   deps     all dependencies (npm ci), shared by dev, build and test
#   dev      dev dependencies + source, `npm run dev` (docker-compose.override.yml mounts src/ over it)
#   build    compiles TypeScript to dist/ (npm run build)
#   test     runs the README's test command (npm test): docker build --target test .
#   runtime  the default: production dependencies, dist/ and public/ only, non-root, NODE_ENV=production

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

FROM base AS deps
COPY package.json package-lock.json ./
RUN npm ci

FROM deps AS dev
ENV NODE_ENV=development
COPY . .
EXPOSE 3000
# The same as `npm run dev`, started without npm so that SIGTERM reaches node.
CMD ["node", "--import", "tsx", "--watch", "src/server.ts"]

FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM deps AS test
COPY . .
RUN npm test

FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
# Code stays owned by root (read-only for the service); only the data directory is writable.
COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The dashboard's static files (src/http/dashboard.ts serves ../../public/ from dist/http/).
COPY public ./public
RUN mkdir -p /app/data && chown 1000:1000 /app/data
# 1000:1000 is the image's `node` user; numeric so that Kubernetes can check runAsNonRoot.
USER 1000:1000
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1, started directly (no npm, no shell): SIGTERM reaches the server's graceful shutdown.
CMD ["node", "dist/server.js"]
