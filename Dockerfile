# Starmine's image: built in the official Rust image, run from Debian slim with the binary and
# the designers' game_data/ only (the game page, the sandbox page and every other asset are
# compiled into the binary). TLS to the Bot API is rustls with bundled roots: no OpenSSL and no
# CA bundle needed at run time.
#
#   docker build -t starmine .
#   docker run --env-file deploy/starmine.env starmine
#
# See README.md, "Going live", and deploy/compose.yaml for Redis and the TLS proxy beside it.

FROM rust:1-bookworm AS builder
WORKDIR /src
# Dependencies first, so a source change does not rebuild them.
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
    && cargo build --release --locked \
    && rm -rf src
COPY src ./src
COPY assets ./assets
# The real sources are newer than the placeholder build; touch makes sure cargo sees it.
RUN touch src/main.rs src/lib.rs && cargo build --release --locked --bin starmine

FROM debian:bookworm-slim
RUN useradd --system --user-group --uid 10001 --home-dir /app --shell /usr/sbin/nologin starmine
WORKDIR /app
COPY --from=builder /src/target/release/starmine /usr/local/bin/starmine
COPY --chown=root:root game_data ./game_data
USER starmine
ENV GAME_DATA_DIR=/app/game_data \
    HTTP_ADDR=0.0.0.0:8080 \
    METRICS_ADDR=0.0.0.0:9464
# 8080: the public listener (put the TLS proxy in front); 9464: /metrics, for Prometheus only.
EXPOSE 8080 9464
# SIGTERM drains (the default stop signal); give it the time `serve` needs, e.g.
# `docker stop --time 90` or compose's stop_grace_period.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/starmine"]
CMD ["serve"]
