// Independent checker for guest-images/manifest.json (written by guest-images/tools/manifest.mjs
// after every build): recomputes the sha256 of every built image and of every source file it
// was built from, from the working tree. Needs no cross toolchain.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

export const GUEST_IMAGES = join(import.meta.dirname, "..", "..", "guest-images");

export interface ManifestImage {
  sha256: string;
  size: number;
  toolchain: string;
  flags: string;
  sources: Record<string, string>;
}

export interface Manifest {
  schema: number;
  images: Record<string, ManifestImage>;
}

export interface Problem {
  /** the image (or, for files no image claims, the image folder) the problem belongs to */
  image: string;
  /** the file that is stale, missing or not covered, relative to guest-images/ */
  file: string;
  message: string;
}

/** Files that count as sources inside an image folder. */
export const SOURCE_FILE = /(\.(c|h|S|s|ld|lds|mk|inc)|(^|\/)Makefile)$/;
/** Folders of an image folder that hold build products or test data, not sources. */
const NOT_SOURCE_DIRS = new Set(["bin", "build", "expected"]);

const posix = (p: string) => p.split(sep).join("/");

export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** Image folders: direct subfolders of guest-images/ with a Makefile, except tools/. */
export function imageFolders(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== "tools" && !d.name.startsWith("."))
    .filter((d) => existsSync(join(root, d.name, "Makefile")))
    .map((d) => d.name)
    .sort();
}

function walk(dir: string, top: boolean, out: string[]): void {
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (d.name.startsWith(".")) continue;
    const p = join(dir, d.name);
    if (d.isDirectory()) {
      if (!(top && NOT_SOURCE_DIRS.has(d.name))) walk(p, false, out);
    } else if (d.isFile()) {
      out.push(p);
    }
  }
}

export function readManifest(root: string): Manifest {
  const file = join(root, "manifest.json");
  if (!existsSync(file)) return { schema: 0, images: {} };
  return JSON.parse(readFileSync(file, "utf8")) as Manifest;
}

/** Everything that is stale, modified, missing or not covered. Empty when all is up to date. */
export function checkManifest(root: string): Problem[] {
  const problems: Problem[] = [];
  const m = readManifest(root);
  const rebuild = "rebuild with `make -C guest-images`";
  if (m.schema !== 1) {
    problems.push({ image: "manifest.json", file: "manifest.json",
      message: `manifest.json missing or of an unknown schema; ${rebuild}` });
  }
  const covered = new Set<string>();
  for (const [image, e] of Object.entries(m.images)) {
    const p = join(root, image);
    if (!existsSync(p)) {
      problems.push({ image, file: image, message: `image ${image} is missing; ${rebuild}` });
    } else if (sha256File(p) !== e.sha256) {
      problems.push({ image, file: image,
        message: `image ${image} was modified after it was built; ${rebuild}` });
    }
    for (const [src, hash] of Object.entries(e.sources)) {
      covered.add(src);
      const s = join(root, src);
      if (!existsSync(s)) {
        problems.push({ image, file: src,
          message: `source ${src} of ${image} no longer exists; ${rebuild}` });
      } else if (sha256File(s) !== hash) {
        problems.push({ image, file: src,
          message: `source ${src} changed after ${image} was built; ${rebuild}` });
      }
    }
  }
  const folders = imageFolders(root);
  for (const folder of folders) {
    const files: string[] = [];
    walk(join(root, folder), true, files);
    for (const f of files.map((f) => posix(relative(root, f))).sort()) {
      if (SOURCE_FILE.test(f) && !covered.has(f)) {
        problems.push({ image: folder, file: f,
          message: `${f} is in image folder ${folder}/ but no image in manifest.json was ` +
            `built from it (a new or unused source?); ${rebuild}` });
      }
    }
    const bin = join(root, folder, "bin");
    if (existsSync(bin) && statSync(bin).isDirectory()) {
      for (const f of readdirSync(bin).sort()) {
        const rel = `${folder}/bin/${f}`;
        if (!f.startsWith(".") && !(rel in m.images)) {
          problems.push({ image: rel, file: rel,
            message: `${rel} is not in manifest.json (built outside the Makefiles?); ${rebuild}` });
        }
      }
    }
    if (!Object.keys(m.images).some((i) => i.startsWith(`${folder}/`))) {
      problems.push({ image: folder, file: `${folder}/Makefile`,
        message: `image folder ${folder}/ has no images in manifest.json; ${rebuild}` });
    }
  }
  for (const image of Object.keys(m.images)) {
    const folder = image.split("/")[0] ?? "";
    if (!folders.includes(folder)) {
      problems.push({ image, file: image,
        message: `${image} belongs to ${folder}/, which is not an image folder any more; ${rebuild}` });
    }
  }
  return problems;
}
