# syntax=docker/dockerfile:1
# Node 24 LTS throughout. The project's dev dependency `node` (the Node 24 that npm scripts use
# on machines with an older system Node) is installed in the build stage only: the runtime image
# gets production dependencies and runs on the image's own Node.
# Build stage: full install (dev dependencies included) to compile TypeScript.
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
# The web console: npm run build builds ui/ with Vite into dist/ui, which the runtime serves at /ui.
COPY ui ./ui
RUN npm run build

# Production dependencies only: no embedded PostgreSQL, no test tooling, no dev Node. bcrypt's
# native addon (N-API) comes prebuilt; the toolchain is there in case a platform lacks a prebuild.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
USER node
EXPOSE 3000
# Liveness only (process and event loop): a database outage must not mark the container unhealthy.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM goes straight to node (no npm wrapper), which drains running executions before exiting;
# give it more than SHUTDOWN_GRACE_MS (docker stop -t 40, compose stop_grace_period, k8s
# terminationGracePeriodSeconds).
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
