# Sourced by bin/varec and bin/test: finds a JDK >= 21 and exports JAVA_HOME (and MAVEN_OPTS).
# Order: $JAVA_HOME, then the usual install locations (newest first), then `java` on PATH.

varec_java_major() { # prints the major version of the java binary $1, or 0
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)
  case "$v" in 1.*) v=${v#1.}; v=${v%%.*} ;; esac
  [[ "$v" =~ ^[0-9]+$ ]] && echo "$v" || echo 0
}

# The chosen JDK is remembered in ${XDG_CACHE_HOME:-~/.cache}/varec/jdk (path, major, mtime of its
# bin/java): probing every JDK with 'java -XshowSettings' takes about half a second per call, while
# revalidating the cache (the binary is still there, unchanged, and JAVA_HOME does not point
# elsewhere) costs a stat.
varec_jdk_cache() {
  echo "${XDG_CACHE_HOME:-$HOME/.cache}/varec/jdk"
}

varec_find_jdk() {
  local min=21 cand best="" bestv=0 v cache path major mtime
  cache=$(varec_jdk_cache)
  if [ -r "$cache" ] && IFS=$'\t' read -r path major mtime < "$cache" 2>/dev/null \
      && [ -x "$path/bin/java" ] && [ -x "$path/bin/javac" ] && [ "${major:-0}" -ge "$min" ] 2>/dev/null \
      && [ "$(stat -c %Y "$path/bin/java" 2>/dev/null)" = "$mtime" ] \
      && { [ -z "${JAVA_HOME:-}" ] || [ "$JAVA_HOME" = "$path" ]; }; then
    varec_use_jdk "$path" "$major"
    return 0
  fi
  local -a cands=()
  [ -n "${JAVA_HOME:-}" ] && cands+=("$JAVA_HOME")
  for cand in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
              "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$cand" ] && cands+=("$cand")
  done
  if command -v javac >/dev/null 2>&1; then
    cands+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for cand in "${cands[@]}"; do
    [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    v=$(varec_java_major "$cand/bin/java")
    # $JAVA_HOME wins when it is recent enough; otherwise take the newest found
    if [ "$cand" = "${JAVA_HOME:-}" ] && [ "$v" -ge "$min" ]; then best=$cand; bestv=$v; break; fi
    if [ "$v" -gt "$bestv" ]; then best=$cand; bestv=$v; fi
  done
  if [ -z "$best" ] || [ "$bestv" -lt "$min" ]; then
    echo "varec: error: varec needs a JDK >= $min (found: ${bestv:-none})." >&2
    echo "  Install one, e.g. 'sudo apt-get install openjdk-21-jdk' (Debian/Ubuntu) or Temurin 21+ from adoptium.net," >&2
    echo "  then run again (or point JAVA_HOME at it)." >&2
    return 1
  fi
  varec_use_jdk "$best" "$bestv"
  mkdir -p "$(dirname "$cache")" 2>/dev/null \
    && printf '%s\t%s\t%s\n' "$best" "$bestv" "$(stat -c %Y "$best/bin/java" 2>/dev/null)" > "$cache.$$" 2>/dev/null \
    && mv -f "$cache.$$" "$cache" 2>/dev/null || rm -f "$cache.$$" 2>/dev/null
  return 0
}

varec_use_jdk() { # exports JAVA_HOME=$1 (major version $2), its PATH and Maven options
  local bestv=$2
  export JAVA_HOME="$1"
  export PATH="$JAVA_HOME/bin:$PATH"
  # Maven's own libraries call sun.misc.Unsafe; JDK >= 24 warns about it on every build.
  if [ "$bestv" -ge 24 ]; then
    case " ${MAVEN_OPTS:-} " in *sun-misc-unsafe-memory-access*) ;; *)
      export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow" ;; esac
  fi
  VAREC_JAVA_MAJOR=$bestv
}

varec_require_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "varec: error: Maven is needed to build varec: install it (e.g. 'sudo apt-get install maven')." >&2
    return 1
  fi
}
