#!/usr/bin/env node
// Generates the directory tree the `find` workload walks: a deterministic imitation of a small
// embedded root file system (the seed ran find over the ELDK ramdisk plus the workload files),
// about 4000 small files in about 600 directories, 4.5 MB, up to 10 levels deep, with a dozen
// names that match "*.wav*" scattered through it (and near misses that do not).
//
//   node tools/mktree.mjs <out-dir>        (the Makefile's `data` target: build/data/tree)
//
// Everything comes from a fixed-seed xorshift32 generator and fixed word lists: the same tree,
// byte for byte and name for name, on every run and machine. The tests import generateTree()
// to build the tree in a scratch directory. Only regular files and directories (no links,
// no special files), so every file system the guest uses can hold it.
import { mkdirSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

class XorShift32 {
  constructor(seed) { this.x = seed >>> 0 || 1; }
  next() {
    let x = this.x;
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    this.x = x;
    return x;
  }
  /** integer in [0, n) */
  below(n) { return this.next() % n; }
  pick(list) { return list[this.below(list.length)]; }
}

const WORDS = ("alpha beta gamma delta config core util net link route init boot kernel module " +
  "driver usb pci serial console shell login passwd group hosts fstab inittab profile dhcp " +
  "ether phy mtd flash nand uboot env sensor gpio i2c spi timer clock audio mixer codec sample " +
  "record play tone voice alarm beep chime ring music track album demo test bench report table " +
  "index cache store queue list tree map hash sort find grep sed awk tar gzip bzip zlib ssl " +
  "crypt ssh http web cgi html style image icon font locale lang zone time date cron log " +
  "syslog daemon server client proxy mail news print scan fax modem ppp wifi radio bt").split(" ");

const EXTS = [".c", ".h", ".o", ".so", ".a", ".txt", ".conf", ".cfg", ".sh", ".py", ".pl",
  ".html", ".css", ".png", ".gif", ".jpg", ".dat", ".bin", ".gz", ".1", ".5", ".8", ".mo",
  ".po", ".xml", ".json", ".ini", ".log", ".db", ".la", ".pc", "", "", ""];

// The names that "*.wav*" matches (and some that it must not), with where they go.
const WAV_FILES = [
  ["usr/share/sounds/alerts", "beep.wav"],
  ["usr/share/sounds/alerts", "chime.wav"],
  ["usr/share/sounds/samples", "M1F1-copy.wav"],
  ["usr/share/sounds/samples", "voice.wav.gz"],
  ["usr/share/sounds/samples", "tone-440.wave"],
  ["home/user/music", "track01.wav"],
  ["home/user/music", "track02.wav~"],
  ["home/user/music/old", "mix.wav.bak"],
  ["opt/app/data/audio", "ring.wav"],
  ["var/spool/voice", "msg0001.wav"],
  ["var/spool/voice", "msg0002.wav"],
  ["usr/share/doc/sox", "example.wav"],
];
const NEAR_MISSES = [
  ["usr/share/sounds/alerts", "beep.WAV"],
  ["home/user/music", "track03.wa"],
  ["home/user/music", "wav-notes.txt"],
  ["usr/share/doc/sox", "wavfile.txt"],
  ["opt/app/data/audio", "ring_wav"],
];

const SKELETON = [
  "bin", "sbin", "dev", "proc", "sys", "tmp", "mnt", "root",
  "etc/init.d", "etc/network/if-up.d", "etc/ssl/certs", "etc/default",
  "lib/modules/2.6.28/kernel/drivers/net", "lib/modules/2.6.28/kernel/drivers/block",
  "lib/modules/2.6.28/kernel/drivers/char", "lib/modules/2.6.28/kernel/drivers/usb/host",
  "lib/modules/2.6.28/kernel/fs/ext2", "lib/modules/2.6.28/kernel/fs/nfs",
  "lib/modules/2.6.28/kernel/net/ipv4/netfilter", "lib/firmware",
  "usr/bin", "usr/sbin", "usr/lib/gconv", "usr/lib/pkgconfig", "usr/libexec",
  "usr/include/linux/netfilter", "usr/include/asm", "usr/include/sys", "usr/include/net",
  "usr/include/netinet", "usr/include/arpa", "usr/include/bits",
  "usr/share/doc/sox", "usr/share/man/man1", "usr/share/man/man5", "usr/share/man/man8",
  "usr/share/locale/de/LC_MESSAGES", "usr/share/locale/fr/LC_MESSAGES",
  "usr/share/locale/ja/LC_MESSAGES", "usr/share/zoneinfo/Europe", "usr/share/zoneinfo/America",
  "usr/share/sounds/alerts", "usr/share/sounds/samples", "usr/share/terminfo/v",
  "usr/share/terminfo/x", "usr/local/bin", "usr/local/lib",
  "var/log", "var/lib/misc", "var/spool/cron", "var/spool/voice", "var/run", "var/cache",
  "home/user/music/old", "home/user/work/src/lib", "home/user/work/src/include",
  "opt/app/bin", "opt/app/lib", "opt/app/data/audio", "opt/app/data/images",
];

function fileText(rng, size) {
  const parts = [];
  let n = 0;
  while (n < size) {
    const words = 4 + rng.below(9);
    let line = "";
    for (let i = 0; i < words; i++) line += (i ? " " : "") + rng.pick(WORDS);
    line += rng.below(4) === 0 ? ` ${rng.next().toString(16)}\n` : "\n";
    parts.push(line);
    n += line.length;
  }
  return parts.join("").slice(0, size);
}

function fileSize(rng) {
  const r = rng.below(100);
  if (r < 10) return rng.below(64);          // tiny
  if (r < 85) return 64 + rng.below(1400);   // small
  if (r < 98) return 1500 + rng.below(3000); // medium
  return 8000 + rng.below(12000);            // a few larger ones
}

/**
 * Creates the tree under outDir (which must not exist or be empty).
 * Returns { dirs, files, bytes, wav } (wav = the names that match "*.wav*").
 */
export function generateTree(outDir, seed = 0x440f1d) {
  const root = resolve(outDir);
  if (existsSync(root) && readdirSync(root).length) throw new Error(`${root} is not empty`);
  const rng = new XorShift32(seed);
  const dirs = new Set();
  const files = new Map(); // relative path -> content
  const addDir = (d) => {
    const parts = d.split("/");
    for (let i = 1; i <= parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
  };
  for (const d of SKELETON) addDir(d);

  // random subdirectories, up to 10 levels below the root
  const base = [...dirs].sort();
  for (let i = 0; i < 220; i++) {
    let d = rng.pick(base);
    const extra = 1 + rng.below(3);
    for (let k = 0; k < extra && d.split("/").length < 10; k++) {
      d += `/${rng.pick(WORDS)}${rng.below(3) === 0 ? `-${rng.below(100)}` : ""}`;
    }
    addDir(d);
  }

  // files: spread over all directories (proc, sys, dev, tmp stay empty)
  const all = [...dirs].sort().filter((d) => !/^(proc|sys|dev|tmp)(\/|$)/.test(d));
  let target = 3950;
  while (files.size < target) {
    const d = rng.pick(all);
    const name = `${rng.pick(WORDS)}${rng.below(2) ? `_${rng.pick(WORDS)}` : ""}` +
      `${rng.below(3) === 0 ? rng.below(1000) : ""}${rng.pick(EXTS)}`;
    const p = `${d}/${name}`;
    if (files.has(p) || dirs.has(p) || /\.wav/.test(name)) continue;
    files.set(p, fileText(rng, fileSize(rng)));
  }
  for (const [d, name] of [...WAV_FILES, ...NEAR_MISSES]) {
    addDir(d);
    files.set(`${d}/${name}`, fileText(rng, 200 + rng.below(3000)));
  }

  let bytes = 0;
  for (const d of [...dirs].sort()) mkdirSync(join(root, d), { recursive: true });
  for (const [p, text] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    writeFileSync(join(root, p), text);
    bytes += Buffer.byteLength(text);
  }
  const wav = WAV_FILES.map(([d, n]) => `${d}/${n}`).sort();
  return { dirs: dirs.size, files: files.size, bytes, wav };
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename);
if (isMain) {
  const out = process.argv[2];
  if (!out || process.argv.length > 3) {
    console.error("usage: node mktree.mjs <out-dir>");
    process.exit(2);
  }
  const r = generateTree(out);
  console.log(`mktree: ${out}: ${r.dirs} directories, ${r.files} files, ${r.bytes} bytes, ` +
    `${r.wav.length} names matching *.wav*`);
}
