# Pinned inputs and build steps of the container images (used by hack/images). Source it.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# --- Pinned inputs -----------------------------------------------------------------------------
# Debian trixie, used only inside the builds (mmdebstrap with its own sources list); the host's
# apt sources are never touched. Debian's mirror keeps only current versions: when a pin below
# is gone, the build stops and says which one; update it to what `apt-cache policy` shows there.
IMAGES_DEBIAN_SUITE=trixie
IMAGES_DEBIAN_SOURCES="deb http://deb.debian.org/debian trixie main
deb http://deb.debian.org/debian-security trixie-security main"
IMAGES_JDK_VERSION="25.0.5.1+2-1~deb13u1"
# What the jlink'ed runtime needs from the C world (checked with ldd at build time).
IMAGES_RUNTIME_PACKAGES=(
  "libc6=2.41-12+deb13u5"
  "libgcc-s1=14.2.0-19"
  "libstdc++6=14.2.0-19"
  "zlib1g=1:1.3.dfsg+really1.3.1-1+deb13u1"
)
# Java modules of the runtime: what `jdeps --print-module-deps` finds in the engine's and the
# operator's jars (hack/images modules) without jdk.compiler (only Vert.x code generation, a
# build-time tool, refers to it), plus what is only looked up at run time: jdk.internal.vm.ci
# for the Graal compiler and jdk.zipfs, the jar: file system Quarkus opens its jars with.
IMAGES_JAVA_MODULES="java.base,java.desktop,java.naming,java.net.http,java.rmi,java.sql,jdk.jfr,jdk.management,jdk.unsupported,jdk.internal.vm.ci,jdk.zipfs"
IMAGES_JLINK_OPTIONS="--strip-debug --no-man-pages --no-header-files --generate-cds-archive"
# The runtime's file times and image dates: the release date of the pinned JDK package.
IMAGES_RUNTIME_EPOCH=1794998357
# Files jlink brings along that nothing in the images uses: the native side of AWT, sound and
# image I/O (java.desktop is in only for java.beans), command-line tools other than java, and the
# class-data archive for heaps above 32 GiB (engines and the operator run far below that).
IMAGES_JRE_UNUSED_FILES="lib/libawt.so lib/libawt_xawt.so lib/libawt_headless.so lib/libfontmanager.so lib/libjavajpeg.so lib/libjawt.so lib/libjsound.so lib/liblcms.so lib/libmlib_image.so lib/libsplashscreen.so lib/server/classes_nocoops.jsa bin/jfr bin/keytool bin/rmiregistry"
IMAGES_UID=10001

# --- Where things go ---------------------------------------------------------------------------
IMAGES_CACHE="$ERLMACHINE_CACHE/images"
IMAGES_TAG="${ERLMACHINE_IMAGE_TAG:-$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$REPO_ROOT/helm/erlmachine/Chart.yaml")}"
IMAGES_RUNTIME_NAME=erlmachine/jre
IMAGES_RUNTIME_TAG=25
# Podman's settings for this machine kind (cgroups v1 hybrid: runc, cgroupfs, modest ulimits);
# the host's own containers.conf is left alone.
export CONTAINERS_CONF="$IMAGES_CACHE/containers.conf"

images_write_containers_conf() {
  mkdir -p "$IMAGES_CACHE"
  cat > "$CONTAINERS_CONF.new" <<'EOF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
log_driver = "k8s-file"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
  mv "$CONTAINERS_CONF.new" "$CONTAINERS_CONF"
}

# --- Host tools --------------------------------------------------------------------------------
# Installed from the host's own (bookworm) sources when missing.
images_require_host_tools() {
  local -A package_of=([mmdebstrap]=mmdebstrap [podman]=podman [skopeo]=skopeo [runc]=runc
                       [newuidmap]=uidmap [gzip]=gzip [curl]=curl)
  local missing=() tool
  for tool in "${!package_of[@]}"; do
    command -v "$tool" >/dev/null || missing+=("${package_of[$tool]}")
  done
  if ((${#missing[@]})); then
    [[ $EUID -eq 0 ]] || die "the image build needs: ${missing[*]}; install them with: sudo apt-get install --no-install-recommends ${missing[*]}"
    log "installing ${missing[*]} from the host's apt sources"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
  [[ $EUID -eq 0 ]] || die "the image build runs mmdebstrap in root mode: run it as root"
  images_write_containers_conf
}

# --- Content keys ------------------------------------------------------------------------------
# A key changes exactly when an input changes; builds whose key is unchanged are skipped.
hash_stdin() { sha256sum | cut -c1-16; }

hash_tree() {
  (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | hash_stdin
}

# The root file system's key covers everything it is made of; the image's adds how it is wrapped.
images_rootfs_key() {
  {
    echo "$IMAGES_DEBIAN_SUITE" "$IMAGES_DEBIAN_SOURCES" "$IMAGES_JDK_VERSION" "${IMAGES_RUNTIME_PACKAGES[*]}"
    echo "$IMAGES_JAVA_MODULES" "$IMAGES_JLINK_OPTIONS" "$IMAGES_JRE_UNUSED_FILES" "$IMAGES_RUNTIME_EPOCH" "$IMAGES_UID"
    declare -f images_build_jre images_build_runtime_rootfs
    cat "$HACK_DIR/lib/images-jlink-hook.sh"
  } | hash_stdin
}

images_runtime_key() {
  { images_rootfs_key; declare -f images_build_runtime_image; } | hash_stdin
}

# Sources of the Maven modules that end up in the images (tracked and untracked, not ignored).
images_sources_key() {
  (cd "$REPO_ROOT" && git ls-files -z -co --exclude-standard -- pom.xml api engine-image operator \
    | LC_ALL=C sort -z | xargs -0 sha256sum 2>/dev/null) | hash_stdin
}

image_label() {
  podman image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true
}

image_id() { podman image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }

# After a rebuild the previous image under a tag is left without a name: remove it unless an
# image built on it still exists.
remove_replaced_image() {
  local old="$1" ref="$2"
  [[ -n "$old" && "$old" != "$(image_id "$ref")" ]] && podman rmi "$old" >/dev/null 2>&1 || true
}

# --- The Java runtime --------------------------------------------------------------------------
# jlink, run inside a throw-away trixie root with Debian's JDK, writes a runtime with only
# IMAGES_JAVA_MODULES to $1.
images_build_jre() {
  local out="$1" sources="$2" name needed
  rm -rf "$out" "$out.d"; mkdir -p "$out.d"
  IMAGES_JAVA_MODULES="$IMAGES_JAVA_MODULES" IMAGES_JLINK_OPTIONS="$IMAGES_JLINK_OPTIONS" \
  IMAGES_JRE_UNUSED_FILES="$IMAGES_JRE_UNUSED_FILES" \
  mmdebstrap --mode=root --variant=minbase --format=null --quiet \
    --include="openjdk-25-jdk-headless=$IMAGES_JDK_VERSION,openjdk-25-jre-headless=$IMAGES_JDK_VERSION,binutils" \
    --essential-hook='mkdir -p "$1"/usr/share/man/man1' \
    --customize-hook="$HACK_DIR/lib/images-jlink-hook.sh" \
    --customize-hook="copy-out /jre /jre-packages.txt $out.d" \
    "$IMAGES_DEBIAN_SUITE" /dev/null "$sources" >&2
  mv "$out.d/jre" "$out"
  for needed in $(cat "$out.d/jre-packages.txt"); do
    for name in "${IMAGES_RUNTIME_PACKAGES[@]%%=*}" __none; do [[ "$name" == "$needed" ]] && break; done
    [[ "$name" != __none ]] || die "the runtime links libraries of $needed; add it to IMAGES_RUNTIME_PACKAGES"
  done
  rm -rf "$out.d"
}

# A root file system with the runtime, the C libraries it links and nothing else: no shell, no
# package manager. The packages are only unpacked (variant=extract runs no maintainer scripts and
# no hooks), then trimmed here and packed with sorted names, fixed owners and clamped times.
images_build_runtime_rootfs() {
  local jre="$1" tar="$2" sources="$3" root="$2.d" include
  include="$(IFS=,; echo "${IMAGES_RUNTIME_PACKAGES[*]}")"
  rm -rf "$root"
  mmdebstrap --mode=root --variant=extract --format=directory --quiet --include="$include" \
    "$IMAGES_DEBIAN_SUITE" "$root" "$sources" >&2
  (
    cd "$root"
    # Device nodes, resolv.conf and hostname come from the container runtime; apt and dpkg
    # state, translations, iconv modules and documentation (but its copyright files) go.
    rm -rf dev etc/apt etc/dpkg etc/fstab etc/hostname etc/resolv.conf var usr/share/locale \
      usr/share/lintian usr/share/gcc usr/share/gdb usr/lib/x86_64-linux-gnu/gconv
    find usr/share/doc -type f ! -name copyright -delete
    find usr/share/doc -type d -empty -delete
    for dir in lib lib64; do [[ -e "$dir" ]] || ln -s "usr/$dir" "$dir"; done
    mkdir -p opt tmp deployments && chmod 1777 tmp
    cp -a "$jre" opt/java
    printf '%s\n' "${IMAGES_RUNTIME_PACKAGES[@]}" "openjdk-25-jdk-headless=$IMAGES_JDK_VERSION (jlink: $IMAGES_JAVA_MODULES)" \
      > opt/java/debian-packages.txt
    printf 'root:x:0:0:root:/root:/nonexistent\nerlmachine:x:%s:%s:erlmachine:/tmp:/nonexistent\n' "$IMAGES_UID" "$IMAGES_UID" > etc/passwd
    printf 'root:x:0:\nerlmachine:x:%s:\n' "$IMAGES_UID" > etc/group
  )
  tar --create --file "$tar" --directory "$root" --sort=name --numeric-owner --owner=0 --group=0 \
    --mtime="@$IMAGES_RUNTIME_EPOCH" --clamp-mtime --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime .
  rm -rf "$root"
}

images_build_runtime_image() {
  local dir="$1" key="$2"
  cat > "$dir/Containerfile" <<EOF
FROM scratch
ADD rootfs.tar /
ENV JAVA_HOME=/opt/java PATH=/opt/java/bin LANG=C.UTF-8
USER $IMAGES_UID:$IMAGES_UID
LABEL io.erlmachine.inputs=$key org.opencontainers.image.title="Erlmachine Java runtime" \\
      org.opencontainers.image.description="jlink'ed OpenJDK $IMAGES_JDK_VERSION from Debian $IMAGES_DEBIAN_SUITE with JVMCI; no shell"
EOF
  local old
  old="$(image_id "$IMAGES_RUNTIME_NAME:$IMAGES_RUNTIME_TAG")"
  podman build --quiet --pull=never --timestamp "$IMAGES_RUNTIME_EPOCH" \
    -t "$IMAGES_RUNTIME_NAME:$IMAGES_RUNTIME_TAG" -f "$dir/Containerfile" "$dir" >/dev/null
  remove_replaced_image "$old" "$IMAGES_RUNTIME_NAME:$IMAGES_RUNTIME_TAG"
}

# Builds (or reuses) the runtime base image; prints its name.
images_runtime() {
  local key dir sources
  key="$(images_runtime_key)"
  dir="$IMAGES_CACHE/runtime-$(images_rootfs_key)"
  if [[ "$(image_label "$IMAGES_RUNTIME_NAME:$IMAGES_RUNTIME_TAG" io.erlmachine.inputs)" == "$key" ]]; then
    log "runtime image $IMAGES_RUNTIME_NAME:$IMAGES_RUNTIME_TAG is up to date ($key)"
    echo "$IMAGES_RUNTIME_NAME:$IMAGES_RUNTIME_TAG"; return
  fi
  if [[ ! -f "$dir/rootfs.tar" ]]; then
    log "building the Java runtime root file system (Debian $IMAGES_DEBIAN_SUITE, OpenJDK $IMAGES_JDK_VERSION)"
    rm -rf "$dir"; mkdir -p "$dir"
    sources="$dir/sources.list"
    printf '%s\n' "$IMAGES_DEBIAN_SOURCES" > "$sources"
    images_build_jre "$dir/jre" "$sources"
    images_build_runtime_rootfs "$dir/jre" "$dir/rootfs.tar.new" "$sources"
    mv "$dir/rootfs.tar.new" "$dir/rootfs.tar"
    rm -rf "$dir/jre"
  fi
  images_build_runtime_image "$dir" "$key"
  # Older runtime directories are no longer referenced.
  find "$IMAGES_CACHE" -maxdepth 1 -name 'runtime-*' ! -path "$dir" -exec rm -rf {} +
  echo "$IMAGES_RUNTIME_NAME:$IMAGES_RUNTIME_TAG"
}
