#!/usr/bin/env bash
# build.sh: rebuilds static/vendor/echarts/echarts.min.js from entry.js with the exact package
# versions of package-lock.json (npm ci verifies their integrity hashes).
#
#   static/echarts-build/build.sh            # writes static/vendor/echarts/echarts.min.js
#   static/echarts-build/build.sh OUT.js     # writes OUT.js instead (to compare two builds)
#
# It installs into a temporary copy of this folder, so no node_modules is left in the
# repository, and the output depends only on the files here: two runs give the same bytes.
# Afterwards record the printed sha256 in static/vendor/echarts/VERSION.md and run
# `go generate ./static/` (the precompressed .br/.gz variants) and `go test ./static/`.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../vendor/echarts/echarts.min.js}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$here/entry.js" "$tmp/"
cd "$tmp"
# --ignore-scripts: nothing from the registry runs here; esbuild finds its platform binary
# (an optional dependency in the lockfile) without its install script.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

echarts_version=$(node -p 'require("echarts/package.json").version')
zrender_version=$(node -p 'require("zrender/package.json").version')
esbuild_version=$(./node_modules/.bin/esbuild --version)

# ECharts' own files carry the ASF header as a plain comment, which esbuild drops; the full
# dist build keeps it at the top, and so does this one.
banner="/*
* Licensed to the Apache Software Foundation (ASF) under one
* or more contributor license agreements.  See the NOTICE file
* distributed with this work for additional information
* regarding copyright ownership.  The ASF licenses this file
* to you under the Apache License, Version 2.0 (the
* \"License\"); you may not use this file except in compliance
* with the License.  You may obtain a copy of the License at
*
*   http://www.apache.org/licenses/LICENSE-2.0
*
* Unless required by applicable law or agreed to in writing,
* software distributed under the License is distributed on an
* \"AS IS\" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY
* KIND, either express or implied.  See the License for the
* specific language governing permissions and limitations
* under the License.
*/
/* Apache ECharts ${echarts_version} (zrender ${zrender_version}), custom build: RadarChart,
   RadarComponent, LegendComponent, TooltipComponent, GraphicComponent, SVGRenderer. Bundled with esbuild
   ${esbuild_version} by static/echarts-build/build.sh. */"

# es2015: the minifier may use syntax newer than ECharts' ES5 sources, but nothing that a
# browser from the last several years lacks.
./node_modules/.bin/esbuild entry.js \
	--bundle --minify --format=iife --target=es2015 \
	--define:process.env.NODE_ENV='"production"' \
	--legal-comments=none \
	--banner:js="$banner" \
	--log-level=warning \
	--outfile=echarts.min.js

cp echarts.min.js "$out"
echo "wrote $out ($(wc -c <echarts.min.js) bytes)"
sha256sum echarts.min.js | cut -d' ' -f1
