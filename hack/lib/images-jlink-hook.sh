#!/bin/sh
# mmdebstrap customize hook (hack/lib/images.sh): in the throw-away trixie root "$1" with Debian's
# JDK, jlink the runtime into "$1"/jre, drop what it does not need, and list the Debian packages
# whose shared libraries it links into "$1"/jre-packages.txt.
set -eu
root="$1"
chroot "$root" /usr/lib/jvm/java-25-openjdk-amd64/bin/jlink --add-modules "$IMAGES_JAVA_MODULES" \
  $IMAGES_JLINK_OPTIONS --output /jre
(cd "$root/jre" && rm -f $IMAGES_JRE_UNUSED_FILES)
# jlink dumps the class-data archive for ordinary object headers only; the operator runs with
# compact ones (helm values: jvmOptions), which need their own archive or start without one.
chroot "$root" /jre/bin/java -XX:+UseCompactObjectHeaders -Xshare:dump > /dev/null
# lib/security/cacerts stays the one from java.base's jmod (OpenJDK's CA set, fixed at the JDK's
# build): Debian's own is generated at install time and differs from one build to the next.
chroot "$root" sh -c 'cd /jre/lib && LD_LIBRARY_PATH=/jre/lib/server ldd ../bin/java *.so server/*.so' > "$root/jre-ldd.txt"
if grep 'not found' "$root/jre-ldd.txt"; then
  echo "the runtime links libraries that are missing" >&2; exit 1
fi
awk '$2 == "=>" && $3 !~ "^/jre/" { print $3 }' "$root/jre-ldd.txt" | sort -u \
  | while read -r lib; do chroot "$root" readlink -f "$lib"; done \
  | xargs chroot "$root" dpkg -S | cut -d: -f1 | sort -u > "$root/jre-packages.txt"
