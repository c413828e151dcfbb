# syntax=docker/dockerfile:1
#
# Build: docker build -t loyalty .
# Run:   docker run -p 8080:8080 -v loyalty-data:/data loyalty
#
# The image holds one static binary (the questionnaire, templates and assets are embedded)
# and runs it as the distroless "nonroot" user (uid 65532). The database lives in the /data
# volume. Health: GET /healthz answers 200 while the process runs (liveness), GET /readyz 200
# only when the database answers with this program's schema and the process is not shutting
# down (readiness, 503 otherwise). Distroless has no shell or curl, so the HEALTHCHECK below
# is the binary itself: "loyalty healthcheck" asks /readyz on LOYALTY_ADDR and exits 0 or 1.
# On SIGTERM (docker stop) /readyz turns 503 and the app keeps serving for
# LOYALTY_SHUTDOWN_GRACE (5s) before it drains: give docker stop a --time longer than that
# plus your slowest request (its default 10s covers the defaults). See docs/deploy.md.
#
# The base images are pinned by tag, not yet by digest: pin them (FROM image:tag@sha256:…)
# with the digests your registry reports (docker buildx imagetools inspect IMAGE:TAG), and let
# a bot such as Renovate or Dependabot keep them current.
# Backups: docker exec CONTAINER /loyalty backup /data/backup-$(date +%F).db

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=""
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/loyalty ./cmd/loyalty \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/loyalty /loyalty
# An empty /data owned by nonroot, so that a fresh named volume is writable by the app.
COPY --from=build --chown=65532:65532 /out/data /data
VOLUME /data
ENV LOYALTY_DB=/data/loyalty.db \
    LOYALTY_ADDR=:8080
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/loyalty", "healthcheck"]
ENTRYPOINT ["/loyalty"]
CMD ["serve"]
