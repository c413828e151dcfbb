# syntax=docker/dockerfile:1
#
# Build: docker build -t loyalty .
# Run:   docker run -p 8080:8080 -v loyalty-data:/data loyalty
#
# The image holds one static binary (the questionnaire, templates and assets are embedded)
# and runs it as the distroless "nonroot" user (uid 65532). The database lives in the /data
# volume. Health: GET /healthz answers 200 while the process runs (liveness), GET /readyz 200
# only when the database answers with this program's schema (readiness, 503 otherwise);
# distroless has no shell or curl for a Docker HEALTHCHECK, so point the orchestrator's HTTP
# probes at them. See docs/deploy.md.
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
ENTRYPOINT ["/loyalty"]
CMD ["serve"]
