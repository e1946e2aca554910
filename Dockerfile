# Coproduce as a container image: build, then a non-root runtime holding
# the binary and the Chromium and fonts it prints PDFs with. No Docker
# engine runs on the development machines, so this file is kept correct by
# reading it against the Makefile's assets, generate, build and pdf
# targets (see docs/operations.md).

# --- build ---------------------------------------------------------------
# The approved Go release, the same as the Makefile's GOTOOLCHAIN, go.mod's
# toolchain line and approvedGo in cmd/coproduce: change all four together.
FROM golang:1.27.3-trixie AS build

# Debian's Node.js and npm fetch the NHS.UK design system.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src

# Dependencies first, so they are cached while only the code changes.
COPY go.mod go.sum ./
RUN go mod download
COPY package.json package-lock.json ./
# Development packages too: sass builds the design system's CSS.
RUN npm ci --no-audit --no-fund --loglevel=error

COPY . .

# What `make assets` does: the design system's files (its CSS built with
# sass) and easy read's pictures, where the binary embeds them.
RUN NHSUK=node_modules/nhsuk-frontend/dist/nhsuk \
 && VENDOR=web/static/vendor \
 && rm -rf "$VENDOR" \
 && mkdir -p "$VENDOR/assets" \
 && cp "$NHSUK/nhsuk-frontend.min.js" "$VENDOR/" \
 && node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
      web/styles/nhsuk.scss "$VENDOR/nhsuk-frontend.min.css" \
 && cp -r "$NHSUK/assets/images" "$VENDOR/assets/" \
 && mkdir -p "$VENDOR/pictures" \
 && cp node_modules/@tabler/icons/LICENSE "$VENDOR/pictures/" \
 && for name in $(grep -v '^#' web/pictures.txt); do \
      sed 's/currentColor/#005eb8/g' "node_modules/@tabler/icons/icons/outline/$name.svg" > "$VENDOR/pictures/$name.svg" || exit 1; \
    done

# What `make generate` and `make build` do.
RUN go tool templ generate -log-level error
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /coproduce ./cmd/coproduce

# --- runtime -------------------------------------------------------------
# Debian, for its Chromium, which prints the reports and packs as tagged
# PDF, and the Noto fonts it prints every script with (the Makefile's pdf
# target installs the same packages). The same Debian release as the
# build image. The user is distroless's nonroot (65532), as before.
FROM debian:trixie-slim

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates chromium fonts-noto-core fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 65532 nonroot \
 && useradd --system --uid 65532 --gid 65532 --create-home --shell /usr/sbin/nologin nonroot

COPY --from=build /coproduce /coproduce
USER nonroot
EXPOSE 8080
ENTRYPOINT ["/coproduce"]
CMD ["serve"]
