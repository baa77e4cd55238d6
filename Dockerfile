# One image for every Edgeway service: docker build --build-arg WORKSPACE=gateway -t edgeway-gateway .
# syntax=docker/dockerfile:1
FROM node:20-bookworm-slim AS deps
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

FROM node:20-bookworm-slim AS runtime
ARG WORKSPACE
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    APOLLO_TELEMETRY_DISABLED=true \
    WORKSPACE=${WORKSPACE}
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/package.json ./package.json
COPY . .
RUN test -n "${WORKSPACE}" && test -f "${WORKSPACE}/src/main.ts"
RUN mkdir -p /app/.keys && chown node:node /app/.keys
USER node
WORKDIR /app/${WORKSPACE}
HEALTHCHECK --interval=10s --timeout=2s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "--import", "@edgeway/platform/telemetry/register", "src/main.ts"]
