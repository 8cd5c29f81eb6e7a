# SPDX-License-Identifier: GPL-3.0-or-later
# build-live packaged for hosts that are not Debian 12: the builder plus every host tool it runs
# (mmdebstrap, squashfs-tools, xorriso, GRUB for BIOS and UEFI), on Debian bookworm.
#
#   docker build -t forensic-live-builder .
#   docker run --rm --privileged -v build-live-cache:/var/cache/build-live -v "$PWD/out:/out" \
#     forensic-live-builder --profile forensic --out /out
#
# --privileged is needed today: a build bootstraps with mmdebstrap in root mode and mounts /proc,
# /sys, /dev and an overlay file system inside the image tree, which needs CAP_SYS_ADMIN and no
# AppArmor/seccomp filter on mount(2). No loop devices are used. Cache and work dir are volumes
# (see VOLUME below). Building the image needs BuildKit (Docker >= 23 by default) or podman/buildah.
#
# The base is pinned by name, not by digest (the machines this is tested on reach no registry; they
# import debian:bookworm from an mmdebstrap tarball, see scripts/container-image-test).

# ---- stage 1: compile the builder (tsc is a devDependency), then drop the devDependencies ----------
FROM debian:bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/forensic-live
# Lockfile first: the npm ci layer is reused until package.json or package-lock.json change.
COPY package.json package-lock.json ./
# Behind a TLS-intercepting proxy, hand its CA in without baking it into a layer:
#   docker build --secret id=extra-ca,src=/path/to/proxy-ca.pem .
RUN --mount=type=secret,id=extra-ca,target=/run/secrets/extra-ca \
    if [ -s /run/secrets/extra-ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/extra-ca; fi \
 && npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.json ./
COPY scripts/bundle-responder.mjs scripts/
COPY src/ src/
# npm run build: tsc -> dist/, and the responder bundle (esbuild) -> dist/responder/.
# npm prune only removes what npm ci installed: --offline, or it spends two minutes trying the
# registry (without the proxy CA of the step above) before it gets on with it.
# What the runtime stage takes is gathered in /stage so that it is one COPY there.
RUN npm run build \
 && npm prune --omit=dev --offline --no-audit --no-fund --loglevel=error \
 && mkdir /stage \
 && cp -a package.json package-lock.json node_modules dist /stage/

# ---- stage 2: the runtime image: host tools + Node.js, no npm and no compiler ---------------------
FROM debian:bookworm
LABEL org.opencontainers.image.title="forensic-live-builder" \
      org.opencontainers.image.description="build-live: builds bootable Debian bookworm live ISOs (BIOS + UEFI) from YAML profiles" \
      org.opencontainers.image.licenses="GPL-3.0-or-later" \
      org.opencontainers.image.base.name="docker.io/library/debian:bookworm"
# Host tools first: this layer (the big one) only changes when this list changes, not with the code.
# For boot tests inside the container (build-live boot-test), add qemu-system-x86 qemu-utils ovmf to
# this list (about 150 MB more); QEMU then uses software emulation unless the container gets
# /dev/kvm (docker run --device /dev/kvm ...).
# xz-utils: build-live reads the archive's Packages.xz (doctor, package checks). gnupg: --sign-key.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      mmdebstrap debian-archive-keyring gpgv gnupg arch-test dpkg-dev \
      squashfs-tools xorriso mtools dosfstools attr \
      grub-common grub-pc-bin grub-efi-amd64-bin grub-efi-amd64-signed shim-signed \
      xz-utils ca-certificates nodejs \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/forensic-live
COPY --from=build /stage/ ./
COPY bin/ bin/
# Data the builder reads at run time; they change more often than the code, so they come last.
COPY image/ image/
COPY overlays/ overlays/
COPY profiles/ profiles/
# Where the repository URL is known (e.g. in CI): --build-arg SOURCE_URL=https://...
ARG SOURCE_URL=""
LABEL org.opencontainers.image.source="${SOURCE_URL}"
# The stage cache (bootstraps are slow: keep it in a named volume between runs) and the scratch space
# for work trees. The work dir must be a volume, not the container's own file system: the build
# mounts an overlay there, and the kernel refuses an overlay upper directory on overlayfs.
VOLUME ["/var/cache/build-live", "/var/tmp/build-live"]
ENTRYPOINT ["node", "/opt/forensic-live/bin/build-live.js"]
CMD ["--help"]
