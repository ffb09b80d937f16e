#!/usr/bin/env bash
# Builds the hv440 Linux guest: Debian's Linux 6.1 (package linux-source-6.1) for the bamboo
# board (44x/bamboo_defconfig made small, see hv440.config) with a built-in initramfs whose
# /init is our own static program (init.c). Everything is built in a cache OUTSIDE the
# repository, never committed:
#
#   ${HV440_CACHE:-${XDG_CACHE_HOME:-~/.cache}/hv440}/linux-6.1/
#     src/linux-source-6.1/   the unpacked tree (unpacked once per package version)
#     build/                  the kernel's O= object tree (.config, vmlinux, build.log)
#     initramfs/              init (static ELF) and initramfs.list (gen_init_cpio list)
#     vmlinux                 the result: the ELF hv440 boots (`hv440 run vmlinux`)
#   .../linux-6.1-pvfix/      the same for --pv-fix (its src/ hard-links the unpacked tree)
#
# Usage: guest-images/linux/build.sh [-j N] [-v] [--check] [--pv-fix]
#   -j N      parallel jobs (default: number of CPUs)
#   -v        show the kernel build output (default: only into build/build.log)
#   --check   do not build: exit 0 and print the path if the cached vmlinux is up to date
#             with the sources here, exit 1 otherwise
#   --pv-fix  the variant with patches/kvm-magic-page-selftest.patch: Linux 6.1's own test of
#             the KVM magic page can never pass (see the patch), so without it the kernel maps
#             the page and then never patches itself
# The only line on stdout is the path of the resulting vmlinux; progress goes to stderr.
# Missing build dependencies are installed with apt-get when running as root.
# Reproducible: fixed KBUILD_BUILD_{TIMESTAMP,USER,HOST,VERSION}, no build id in /init.
set -euo pipefail
{ # the whole script is read before it runs: editing it during a build can't break that build

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BASE=${HV440_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hv440}/linux-6.1
CACHE=$BASE
PATCHES=()
TARBALL=/usr/src/linux-source-6.1.tar.xz
CROSS=powerpc-linux-gnu-
JOBS=$(nproc 2>/dev/null || echo 2)
VERBOSE=0
CHECK=0
while [ $# -gt 0 ]; do
  case "$1" in
    -j) JOBS=$2; shift 2 ;;
    -j*) JOBS=${1#-j}; shift ;;
    -v) VERBOSE=1; shift ;;
    --check) CHECK=1; shift ;;
    --pv-fix) CACHE=$BASE-pvfix; PATCHES=("$HERE/patches/kvm-magic-page-selftest.patch"); shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

log() { echo "linux: $*" >&2; }
die() { echo "linux: error: $*" >&2; exit 1; }

# Fixed build identity: the kernel's version string (uname -v, the boot banner) is the same
# on every machine and in every rebuild.
export KBUILD_BUILD_TIMESTAMP="Thu Jan  1 00:00:00 UTC 2026"
export KBUILD_BUILD_USER=hv440
export KBUILD_BUILD_HOST=hv440
export KBUILD_BUILD_VERSION=1
export LC_ALL=C

SRC=$CACHE/src/linux-source-6.1
OUT=$CACHE/build
RAMFS=$CACHE/initramfs
RESULT=$CACHE/vmlinux
KMAKE=(make -C "$SRC" O="$OUT" ARCH=powerpc CROSS_COMPILE=$CROSS)

# What the result depends on besides the kernel sources: our files and the package version.
stamp_inputs() {
  dpkg-query -W -f='${Version}\n' linux-source-6.1 2>/dev/null || echo none
  cat "$HERE/build.sh" "$HERE/hv440.config" "$HERE/init.c" ${PATCHES[@]+"${PATCHES[@]}"}
}

if [ $CHECK = 1 ]; then
  [ -f "$RESULT" ] || { echo "no kernel in the cache ($RESULT)" >&2; exit 1; }
  if [ -f "$CACHE/result.stamp" ] && cmp -s <(stamp_inputs) "$CACHE/result.stamp"; then
    echo "$RESULT"; exit 0
  fi
  echo "the cached kernel ($RESULT) is stale: guest-images/linux or linux-source-6.1 changed since it was built" >&2
  exit 1
fi

# --- 1. build dependencies -------------------------------------------------------------
need=()
for pair in linux-source-6.1:"$TARBALL" gcc-powerpc-linux-gnu:${CROSS}gcc binutils-powerpc-linux-gnu:${CROSS}ld \
            libc6-dev-powerpc-cross:/usr/powerpc-linux-gnu/lib/libc.a make:make gcc:gcc bc:bc flex:flex \
            bison:bison cpio:cpio xz-utils:xz patch:patch; do
  pkg=${pair%%:*} what=${pair#*:}
  if [ "${what#/}" != "$what" ]; then [ -e "$what" ] || need+=("$pkg")
  else command -v "$what" >/dev/null || need+=("$pkg"); fi
done
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing packages: ${need[*]} (apt-get install ${need[*]})"
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y --no-install-recommends "${need[@]}" || { apt-get update && apt-get install -y --no-install-recommends "${need[@]}"; }; } >&2 ||
    die "could not install ${need[*]}"
fi

# --- 2. sources: unpack once per package version ------------------------------------------
version=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || stat -c %s-%Y "$TARBALL")
if [ ! -f "$BASE/src/.unpacked" ] || [ "$(cat "$BASE/src/.unpacked")" != "$version" ]; then
  log "unpacking $TARBALL ($version) into $BASE/src"
  rm -rf "$BASE/src" "$BASE/build"
  mkdir -p "$BASE/src.tmp"
  tar -C "$BASE/src.tmp" -xf "$TARBALL"
  [ -f "$BASE/src.tmp/linux-source-6.1/Makefile" ] || die "$TARBALL has no linux-source-6.1/Makefile"
  echo "$version" > "$BASE/src.tmp/.unpacked"
  mv "$BASE/src.tmp" "$BASE/src"
fi
# a variant's tree: hard links to the unpacked one, the patched files replaced (patch(1) writes
# new files, so the shared tree is not changed)
if [ ${#PATCHES[@]} -gt 0 ]; then
  want="$version $(cat "${PATCHES[@]}" | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$CACHE/src/.unpacked" ] || [ "$(cat "$CACHE/src/.unpacked")" != "$want" ]; then
    log "linking $BASE/src into $CACHE/src and patching it"
    rm -rf "$CACHE/src" "$CACHE/src.tmp" "$OUT"
    mkdir -p "$CACHE/src.tmp"
    cp -al "$BASE/src/linux-source-6.1" "$CACHE/src.tmp/"
    for p in "${PATCHES[@]}"; do
      patch -d "$CACHE/src.tmp/linux-source-6.1" -p1 -s --no-backup-if-mismatch < "$p" >&2 || die "$p does not apply"
    done
    echo "$want" > "$CACHE/src.tmp/.unpacked"
    mv "$CACHE/src.tmp" "$CACHE/src"
  fi
fi

# --- 3. /init and the initramfs list ---------------------------------------------------------
mkdir -p "$RAMFS" "$OUT"
INIT_CFLAGS=(-static -mcpu=440fp -fno-pie -no-pie -O2 -Wall -Wextra -Werror -Wl,--build-id=none)
init_inputs() { echo "${INIT_CFLAGS[*]}"; ${CROSS}gcc --version | head -1; cat "$HERE/init.c"; }
if [ ! -f "$RAMFS/init" ] || ! cmp -s <(init_inputs) "$RAMFS/init.inputs"; then
  log "building /init"
  ${CROSS}gcc "${INIT_CFLAGS[@]}" -o "$RAMFS/init.tmp" "$HERE/init.c"
  # gen_init_cpio stores a file's own mtime: a fixed one keeps the initramfs reproducible, and
  # removing the old archive makes the kernel build regenerate it (its mtime check can't see this)
  touch -d "$KBUILD_BUILD_TIMESTAMP" "$RAMFS/init.tmp"
  mv "$RAMFS/init.tmp" "$RAMFS/init"
  rm -f "$OUT/usr/initramfs_data.cpio"
  init_inputs > "$RAMFS/init.inputs"
fi
list=$(cat <<EOF
# gen_init_cpio list generated by guest-images/linux/build.sh
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0555 0 0
dir /root 0700 0 0
file /init $RAMFS/init 0755 0 0
EOF
)
# rewritten only when it changes, so that an unchanged initramfs is not rebuilt
[ "$(cat "$RAMFS/initramfs.list" 2>/dev/null)" = "$list" ] || echo "$list" > "$RAMFS/initramfs.list"

# --- 4. .config: bamboo_defconfig + hv440.config, regenerated only when an input changes ----------
cfg_inputs() {
  cat "$SRC/arch/powerpc/configs/44x/bamboo_defconfig" "$HERE/hv440.config"
  echo "CONFIG_INITRAMFS_SOURCE=\"$RAMFS/initramfs.list\""
}
if [ ! -f "$OUT/.config" ] || ! cmp -s <(cfg_inputs) "$OUT/.hv440-config-inputs"; then
  log "configuring (44x/bamboo_defconfig + hv440.config)"
  "${KMAKE[@]}" -s 44x/bamboo_defconfig >&2
  { grep -E '^(CONFIG_[A-Z0-9_]+=|# CONFIG_[A-Z0-9_]+ is not set$)' "$HERE/hv440.config"
    echo "CONFIG_INITRAMFS_SOURCE=\"$RAMFS/initramfs.list\""; } >> "$OUT/.config"
  # (olddefconfig warns about every line we override: expected, so not shown)
  "${KMAKE[@]}" -s olddefconfig > "$OUT/olddefconfig.log" 2>&1 || { cat "$OUT/olddefconfig.log" >&2; die "make olddefconfig failed"; }
  grep -v "warning: override: reassigning to symbol" "$OUT/olddefconfig.log" >&2 || true
  cfg_inputs > "$OUT/.hv440-config-inputs"
fi
# every requested setting must have survived olddefconfig
bad=0
while IFS= read -r line; do
  case "$line" in
    CONFIG_*=*) grep -qxF "$line" "$OUT/.config" || { log "config: '$line' did not stick"; bad=1; } ;;
    "# CONFIG_"*" is not set")
      opt=${line#\# }; opt=${opt%% *}
      ! grep -q "^$opt=" "$OUT/.config" || { log "config: '$line' did not stick ($(grep "^$opt=" "$OUT/.config"))"; bad=1; } ;;
  esac
done < "$HERE/hv440.config"
[ $bad = 0 ] || { rm -f "$OUT/.hv440-config-inputs"; die "kernel configuration does not match hv440.config"; }

# --- 5. the kernel ---------------------------------------------------------------------------------
log "building vmlinux with -j$JOBS (log: $OUT/build.log)"
start=$(date +%s)
if [ $VERBOSE = 1 ]; then
  "${KMAKE[@]}" -j"$JOBS" vmlinux 2>&1 | tee "$OUT/build.log" >&2
  rc=${PIPESTATUS[0]}
else
  rc=0; "${KMAKE[@]}" -j"$JOBS" vmlinux > "$OUT/build.log" 2>&1 || rc=$?
fi
if [ "$rc" != 0 ]; then
  tail -n 30 "$OUT/build.log" >&2
  die "kernel build failed (exit $rc), see $OUT/build.log"
fi
log "vmlinux built in $(( $(date +%s) - start )) s"

# --- 6. check the loadable segments: physical addresses from 0, below the DTB at 24 MiB --------
DTB_PA=$((0x01800000))
lo=-1; hi=0
while read -r type off vaddr paddr filesz memsz rest; do
  [ "$type" = LOAD ] || continue
  pa=$((paddr)); end=$((paddr + memsz))
  if [ $lo -lt 0 ] || [ $pa -lt $lo ]; then lo=$pa; fi
  [ $end -le $hi ] || hi=$end
done < <(${CROSS}readelf -lW "$OUT/vmlinux")
[ "$lo" = 0 ] || die "vmlinux: lowest PT_LOAD physical address is $(printf 0x%x "$lo"), expected 0"
[ "$hi" -le $DTB_PA ] || die "vmlinux: PT_LOAD segments end at $(printf 0x%x "$hi"), over the device tree at 0x01800000"
log "vmlinux: PT_LOAD physical 0x0-$(printf 0x%x "$hi") ($(( (hi + 1048575) / 1048576 )) MiB)"

# --- 7. the result: the kernel's own vmlinux, unchanged ---------------------------------------------
# Its e_entry is the virtual 0xc0000000 (_start); a -kernel loader starts it at the physical
# address of the PT_LOAD segment holding it (QEMU's load_elf does; so does BambooBoard.boot(),
# through physicalEntry()), where bamboo's boot TLB maps EA 0-2 GiB 1:1. The copy keeps the symbol
# table, which hv440 uses to name the guest PC in failure reports.
cp "$OUT/vmlinux" "$RESULT.tmp"
if cmp -s "$RESULT.tmp" "$RESULT"; then rm -f "$RESULT.tmp"; else mv "$RESULT.tmp" "$RESULT"; fi
stamp_inputs > "$CACHE/result.stamp"
echo "$RESULT"
exit 0
}
