// Headless Chromium for the HTML report's test: Debian's `chromium` package. When it is missing
// and we are root (CI, a fresh machine), the project installs it here with apt-get, as the
// tests need it; otherwise the caller skips with the reason returned.
import { spawnSync } from "node:child_process";

const NAMES = ["chromium", "chromium-browser", "google-chrome"];

function which(name: string): string | null {
  const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

function find(): string | null {
  for (const n of NAMES) {
    const p = which(n);
    if (p) return p;
  }
  return null;
}

/** The browser's path, or why there is none. */
export function ensureChromium(): { path: string } | { skip: string } {
  const found = find();
  if (found) return { path: found };
  if (process.env.HV440_NO_INSTALL) return { skip: "chromium is not installed and HV440_NO_INSTALL is set" };
  if (process.getuid?.() !== 0) return { skip: "chromium is not installed and we are not root (apt-get install chromium)" };
  if (!which("apt-get")) return { skip: "chromium is not installed and there is no apt-get" };
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () => spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { encoding: "utf8", env, timeout: 900_000 });
  let r = install();
  if (r.status !== 0) {
    spawnSync("apt-get", ["update"], { encoding: "utf8", env, timeout: 300_000 });
    r = install();
  }
  const after = find();
  if (after) return { path: after };
  return { skip: `apt-get install chromium failed: ${(r.stderr || r.stdout || "").trim().split("\n").pop() ?? "no output"}` };
}

/** Headless Chromium with the flags a root container needs; returns stdout. */
export function chromium(path: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(path, ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
    "--allow-file-access-from-files", "--virtual-time-budget=5000", ...args], { encoding: "utf8", timeout: 120_000, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}
