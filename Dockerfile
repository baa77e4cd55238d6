# syntax=docker/dockerfile:1
# One image per Edgeway service, all built from this file (docker compose build builds every one):
#   docker build --build-arg WORKSPACE=gateway --build-arg PORT=4000 -t edgeway/gateway:0.1.0 .
# WORKSPACE is the service's folder, PORT its port (docs/operations.md lists both for each service).
# Images hold the compiled JS, production dependencies and run-time files only: no TypeScript
# sources, tests, benchmark or docs. test/deploy/images.test.ts runs these steps without Docker.

# Compiles every workspace to its dist/ (npm run build).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY platform/package.json platform/
COPY subgraphs/accounts/package.json subgraphs/accounts/
COPY subgraphs/products/package.json subgraphs/products/
COPY subgraphs/reviews/package.json subgraphs/reviews/
COPY subgraphs/inventory/package.json subgraphs/inventory/
COPY subgraphs/orders/package.json subgraphs/orders/
COPY services/pricing/package.json services/pricing/
COPY services/recommendations/package.json services/recommendations/
COPY services/identity/package.json services/identity/
COPY gateway/package.json gateway/
COPY bff-kit/package.json bff-kit/
COPY bff-web/package.json bff-web/
COPY bff-mobile/package.json bff-mobile/
COPY test/package.json test/
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.build-base.json tsconfig.build.json ./
COPY scripts/build.ts scripts/
COPY platform/ platform/
COPY subgraphs/accounts/ subgraphs/accounts/
COPY subgraphs/products/ subgraphs/products/
COPY subgraphs/reviews/ subgraphs/reviews/
COPY subgraphs/inventory/ subgraphs/inventory/
COPY subgraphs/orders/ subgraphs/orders/
COPY services/pricing/ services/pricing/
COPY services/recommendations/ services/recommendations/
COPY services/identity/ services/identity/
COPY gateway/ gateway/
COPY bff-kit/ bff-kit/
COPY bff-web/ bff-web/
COPY bff-mobile/ bff-mobile/
RUN npm run build

# Production dependencies only, workspace-local node_modules included (npm ci puts a package
# in platform/node_modules when the root holds another version of it).
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY platform/package.json platform/
COPY subgraphs/accounts/package.json subgraphs/accounts/
COPY subgraphs/products/package.json subgraphs/products/
COPY subgraphs/reviews/package.json subgraphs/reviews/
COPY subgraphs/inventory/package.json subgraphs/inventory/
COPY subgraphs/orders/package.json subgraphs/orders/
COPY services/pricing/package.json services/pricing/
COPY services/recommendations/package.json services/recommendations/
COPY services/identity/package.json services/identity/
COPY gateway/package.json gateway/
COPY bff-kit/package.json bff-kit/
COPY bff-web/package.json bff-web/
COPY bff-mobile/package.json bff-mobile/
COPY test/package.json test/
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ARG WORKSPACE
ARG PORT
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=${PORT} \
    APOLLO_TELEMETRY_DISABLED=true \
    WORKSPACE=${WORKSPACE}
WORKDIR /app
COPY --from=deps /app ./
COPY --from=build /app/platform/dist platform/dist
COPY --from=build /app/subgraphs/accounts/dist subgraphs/accounts/dist
COPY --from=build /app/subgraphs/products/dist subgraphs/products/dist
COPY --from=build /app/subgraphs/reviews/dist subgraphs/reviews/dist
COPY --from=build /app/subgraphs/inventory/dist subgraphs/inventory/dist
COPY --from=build /app/subgraphs/orders/dist subgraphs/orders/dist
COPY --from=build /app/services/pricing/dist services/pricing/dist
COPY --from=build /app/services/recommendations/dist services/recommendations/dist
COPY --from=build /app/services/identity/dist services/identity/dist
COPY --from=build /app/gateway/dist gateway/dist
COPY --from=build /app/bff-kit/dist bff-kit/dist
COPY --from=build /app/bff-web/dist bff-web/dist
COPY --from=build /app/bff-mobile/dist bff-mobile/dist
COPY subgraphs/accounts/schema.graphql subgraphs/accounts/
COPY subgraphs/products/schema.graphql subgraphs/products/
COPY subgraphs/reviews/schema.graphql subgraphs/reviews/
COPY subgraphs/inventory/schema.graphql subgraphs/inventory/
COPY subgraphs/orders/schema.graphql subgraphs/orders/
COPY gateway/supergraph.graphql gateway/
COPY bff-mobile/persisted-operations.json bff-mobile/
RUN test -n "${WORKSPACE}" && test -n "${PORT}" && test -f "/app/${WORKSPACE}/dist/main.js"
RUN mkdir -p /app/.keys && chown node:node /app/.keys
USER node
WORKDIR /app/${WORKSPACE}
EXPOSE ${PORT}
# PORT is set above from the build argument, so the check finds the service without a -e PORT.
HEALTHCHECK --interval=10s --timeout=2s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--import", "@edgeway/platform/telemetry/register", "dist/main.js"]
