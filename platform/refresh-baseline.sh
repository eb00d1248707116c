#!/bin/sh
# Records an API release as the baseline that the build compares recursa-api and recursa-engine with
# (docs/api-versioning.md): builds both from the current commit, replaces platform/<module>/baseline/ with the
# module's jar named for the release, and sets recursa.baseline.version in the root pom. Run it on a clean checkout
# of the release commit, then commit what it changed. Extra arguments go to Maven (e.g. -o).
set -eu
usage="usage: platform/refresh-baseline.sh RELEASE [MAVEN-ARGS...]   (RELEASE: the API release, e.g. 1.1.0)"
[ $# -ge 1 ] || { echo "$usage" >&2; exit 2; }
release=$1
shift
if ! echo "$release" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+$'; then
  echo "refresh-baseline: release '$release' is not MAJOR.MINOR.MICRO, e.g. 1.1.0" >&2
  exit 2
fi
cd "$(dirname "$0")/.."
if [ -n "$(git status --porcelain -- platform/api platform/engine pom.xml)" ]; then
  echo "refresh-baseline: platform/api, platform/engine or pom.xml has uncommitted changes; a baseline is built" \
       "from a commit" >&2
  exit 1
fi
commit=$(git rev-parse HEAD)

# package also runs the baseline check against the release being replaced, which the release commit passes.
mvn -B -q "$@" -pl platform/api,platform/engine -am package -DskipTests

for module in api engine; do
  artifact=recursa-$module
  jar=$(ls platform/$module/target/$artifact-*.jar | grep -v -e '-sources\.jar$' -e '-tests\.jar$' | head -n 1)
  baseline=platform/$module/baseline
  rm -rf "$baseline"      # only the newest release is compared with
  mkdir -p "$baseline"
  cp "$jar" "$baseline/$artifact-$release.jar"
  printf '%s\n' "$artifact-$release.jar: $(basename "$jar") built from commit $commit by" \
    "platform/refresh-baseline.sh. The build's baseline check compares the exported packages with it" \
    "(docs/api-versioning.md); nothing depends on it." > "$baseline/README.txt"
  echo "refresh-baseline: $baseline/$artifact-$release.jar from $commit"
done

property=recursa.baseline.version
sed -i "s|<$property>[^<]*</$property>|<$property>$release</$property>|" pom.xml
echo "refresh-baseline: recursa.baseline.version is $release in pom.xml; commit platform/*/baseline and pom.xml"
