# DiunDashboard image: the diun-server binary plus the built dashboard.
#   docker build -t diun-dashboard .
#   docker run -p 8080:8080 -v diun-dashboard-data:/data -e WEBHOOK_SECRET=... diun-dashboard
# Needs BuildKit (the default builder of current Docker) for the cache mounts.

# ---- 1. front end -> /src/frontend/dist ---------------------------------------
FROM node:20-bookworm-slim AS frontend
# The lockfile is written by npm 11, the version the project is developed with.
RUN npm install -g npm@11.19.1
WORKDIR /src/frontend
# Manifests first, so that `npm ci` stays cached until they change.
COPY frontend/package.json frontend/package-lock.json frontend/.npmrc ./
RUN --mount=type=cache,target=/root/.npm npm ci
# The spec sits where the front end's scripts expect it (../openapi.json).
COPY openapi.json /src/openapi.json
COPY frontend/ ./
RUN npm run build

# ---- 2. server binary -> /out/diun-server --------------------------------------
FROM rust:1.95-bookworm AS server
WORKDIR /src
# Every workspace member's manifest is needed to resolve the workspace, and
# diun-client's build script reads openapi.json; only diun-server is compiled.
COPY Cargo.toml Cargo.lock openapi.json ./
COPY diun-core/ diun-core/
COPY diun-server/ diun-server/
COPY diun-client/ diun-client/
# The registry and target dirs are cache mounts, so rebuilds after a source
# change only recompile the project's crates. The binary is copied out of the
# cache mount, which is not part of the image.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p diun-server \
    && install -D -m 0755 target/release/diun-server /out/diun-server

# ---- 3. runtime ----------------------------------------------------------------
FROM debian:bookworm-slim
RUN groupadd --system --gid 10001 diun \
    && useradd --system --uid 10001 --gid diun --home-dir /app --no-create-home --shell /usr/sbin/nologin diun \
    && mkdir -p /data \
    && chown diun:diun /data
WORKDIR /app
COPY --from=server /out/diun-server /app/diun-server
COPY --from=frontend /src/frontend/dist /app/frontend/dist
ENV DB_PATH=/data/diun.db \
    FRONTEND_DIR=/app/frontend/dist \
    PORT=8080 \
    BIND_ADDR=0.0.0.0 \
    RUST_LOG=info
VOLUME /data
EXPOSE 8080
# Numeric, so that orchestrators can verify that it is not root.
USER 10001:10001
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/app/diun-server", "healthcheck"]
ENTRYPOINT ["/app/diun-server"]
