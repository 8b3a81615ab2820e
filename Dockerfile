# syntax=docker/dockerfile:1
#
# Corporate OS API image. Three stages on the same Debian bookworm base, so that Debian's chromium
# package (bookworm) matches the runtime's libc:
#   build    npm ci + npm run build (dist/).
#   deps     production dependencies only, without install scripts and without the optional
#            per-platform embedded-postgres binaries (a dev/test helper, not needed here).
#   runtime  Node, Debian's chromium and fonts, tini; runs as the unprivileged `node` user.
#
#   docker build -t corporate-os-api .        (or: docker compose up --build, see deploy/README.md)

ARG NODE_IMAGE=node:22-bookworm-slim

# npm 11 (the npm CI uses) honours package.json#allowScripts; the npm 10 bundled with Node 22 does not.
ARG NPM_VERSION=11.19.1

FROM ${NODE_IMAGE} AS build
ARG NPM_VERSION
ENV PUPPETEER_SKIP_DOWNLOAD=true \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
WORKDIR /app
RUN npm install --global "npm@${NPM_VERSION}"
COPY package.json package-lock.json .npmrc .puppeteerrc.cjs ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build

FROM ${NODE_IMAGE} AS deps
ARG NPM_VERSION
ENV PUPPETEER_SKIP_DOWNLOAD=true \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
WORKDIR /app
RUN npm install --global "npm@${NPM_VERSION}"
COPY package.json package-lock.json .npmrc .puppeteerrc.cjs ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts \
    && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        chromium fonts-dejavu-core fonts-liberation ca-certificates tini \
    && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium \
    PUPPETEER_SKIP_DOWNLOAD=true \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
# Owned by root and not writable by the service user.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The official OCF 1.2.0 schemas and samples (unmodified, with their licence) the service checks against.
COPY ocf ./ocf
COPY package.json ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/main.js"]
