# Sourced by ./mvnw: picks a JDK 25+ when JAVA_HOME is unset or points at an older one.
set +f  # mvnw runs with globbing off; the JDK search needs it
erlmachine_java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'; }
if [ -z "${JAVA_HOME:-}" ] || [ "$(erlmachine_java_major "$JAVA_HOME" 2>/dev/null || echo 0)" -lt 25 ] 2>/dev/null; then
  for candidate in "${ERLMACHINE_JAVA_HOME:-}" /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/*-2[5-9]* /usr/lib/jvm/java-2[5-9]* \
                   "$HOME"/.sdkman/candidates/java/2[5-9]* /Library/Java/JavaVirtualMachines/*-2[5-9]*/Contents/Home; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ "$(erlmachine_java_major "$candidate")" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"; break
    fi
  done
fi
if [ -z "${JAVA_HOME:-}" ] || [ "$(erlmachine_java_major "$JAVA_HOME" 2>/dev/null || echo 0)" -lt 25 ] 2>/dev/null; then
  echo "Erlmachine needs a JDK 25 or newer: none found in JAVA_HOME, ERLMACHINE_JAVA_HOME or /usr/lib/jvm." >&2
  echo "Install one (for example Temurin 25) and set JAVA_HOME to it." >&2
  exit 1
fi
set -f
