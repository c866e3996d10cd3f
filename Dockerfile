# Kura console image: Next standalone output plus Kura's server, run as a
# non-root user. In a pod it talks to the cluster it runs in (KURA_CLUSTER=in-cluster).

FROM node:20-bookworm-slim AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1 KURA_STANDALONE=1
RUN npx next build \
 && npx esbuild server/main.ts --bundle --platform=node --format=esm --target=node20 \
      --outfile=dist/server.mjs --packages=external \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends qemu-system-x86 qemu-utils openssl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/kura --create-home kura
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 \
    KURA_CLUSTER=in-cluster HOST=0.0.0.0 PORT=3000 KURA_DATA_DIR=/var/lib/kura
# The standalone output carries what the pages need; the server bundle keeps its
# packages external, so the production node_modules come along too.
COPY --from=build /src/.next/standalone ./
COPY --from=build /src/.next/static ./.next/static
COPY --from=build /src/public ./public
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist/server.mjs ./server/main.mjs
COPY --from=build /src/package.json ./package.json
USER 10001
EXPOSE 3000
# The flags of scripts/server-flags.mjs.
CMD ["node", "--max-semi-space-size=64", "server/main.mjs"]
